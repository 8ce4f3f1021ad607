// Every number and date the console shows is formatted here, in the reader's locale.

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const bytes = new Intl.NumberFormat(undefined, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 1 });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const hourUtc = new Intl.DateTimeFormat(undefined, { hour: 'numeric', timeZone: 'UTC' });
const dayUtc = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
// The console's words are English, so the noun follows English's plural rules (the digits, the reader's locale).
const englishPlural = new Intl.PluralRules('en');

export function formatCount(value: number): string {
  return integer.format(value);
}

/** A count with its noun: "1 request", "0 requests", "1,204 requests". */
export function formatCountOf(value: number, one: string, other: string): string {
  return `${integer.format(value)} ${englishPlural.select(value) === 'one' ? one : other}`;
}

export function formatShare(fraction: number): string {
  return percent.format(fraction);
}

export function formatKilobytes(byteCount: number): string {
  return bytes.format(byteCount / 1000);
}

export function formatDateTime(iso: string | Date): string {
  return dateTime.format(new Date(iso));
}

export function formatDate(iso: string | Date): string {
  return dateOnly.format(new Date(iso));
}

/** Chart axis labels: the API counts in UTC hours and days, so the axis speaks UTC too. */
export function formatAxisTime(epochSeconds: number, granularity: 'hour' | 'day'): string {
  const at = new Date(epochSeconds * 1000);
  return granularity === 'hour' ? hourUtc.format(at) : dayUtc.format(at);
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 hours ago", "in 2 days"; under a minute, "now". */
export function formatRelativeTime(iso: string | Date, now: Date = new Date()): string {
  const delta = new Date(iso).getTime() - now.getTime();
  for (const [unit, ms] of units) {
    if (Math.abs(delta) >= ms) return relative.format(Math.round(delta / ms), unit);
  }
  return relative.format(0, 'second');
}
