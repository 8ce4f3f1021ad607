/** The three views of the usage chart: hourly for a day, daily for a week and a month (UTC buckets). */
export type RangeId = '24h' | '7d' | '30d';

export interface UsageRange {
  readonly id: RangeId;
  readonly label: string;
  readonly granularity: 'hour' | 'day';
  /** Bucket starts, oldest first, in epoch seconds; the last bucket is the current one. */
  readonly buckets: number[];
  readonly from: Date;
  readonly to: Date;
}

const HOUR = 3600;
const DAY = 86_400;

export const rangeChoices: { id: RangeId; label: string }[] = [
  { id: '24h', label: '24 hours' },
  { id: '7d', label: '7 days' },
  { id: '30d', label: '30 days' },
];

export function usageRange(id: RangeId, now: Date): UsageRange {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const granularity = id === '24h' ? 'hour' : 'day';
  const step = granularity === 'hour' ? HOUR : DAY;
  const count = id === '24h' ? 24 : id === '7d' ? 7 : 30;
  const current = nowSeconds - (nowSeconds % step);
  const buckets = Array.from({ length: count }, (_, i) => current - (count - 1 - i) * step);
  return {
    id,
    label: rangeChoices.find((c) => c.id === id)?.label ?? id,
    granularity,
    buckets,
    from: new Date((buckets[0] as number) * 1000),
    to: new Date((current + step) * 1000),
  };
}
