/** Points as the API sends them: one per key and bucket that had traffic. */
export interface UsagePoint {
  readonly keyId: string;
  readonly start: string;
  /** avatar_requests: the billable answers (302 and 200). */
  readonly billable: number;
}

export interface KeySeries {
  readonly keyId: string;
  readonly values: number[];
  readonly total: number;
}

/**
 * One line per key over every bucket, empty buckets as 0 (the API leaves them out), so that a key
 * whose traffic stops falls to zero instead of ending mid-air. Busiest keys first.
 */
export function seriesPerKey(points: readonly UsagePoint[], buckets: readonly number[]): KeySeries[] {
  const index = new Map(buckets.map((start, i) => [start, i]));
  const byKey = new Map<string, number[]>();
  for (const point of points) {
    const at = index.get(Math.floor(Date.parse(point.start) / 1000));
    if (at === undefined) continue;
    let values = byKey.get(point.keyId);
    if (!values) byKey.set(point.keyId, (values = Array.from({ length: buckets.length }, () => 0)));
    values[at] = (values[at] ?? 0) + point.billable;
  }
  return [...byKey]
    .map(([keyId, values]) => ({ keyId, values, total: values.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.total - a.total);
}
