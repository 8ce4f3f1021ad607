import { sql } from 'kysely';
import type { Db } from '../client.ts';

/**
 * Reading usage back for people: hourly series from `usage_hourly`, daily ones mostly from `usage_daily`,
 * month totals from `workspace_monthly_usage`.
 */

export type UsageBucket = 'hour' | 'day';

export interface UsageCounts {
  readonly billable: number;
  readonly notModified: number;
  readonly fallbacks: number;
  readonly newProfiles: number;
  readonly rejected: number;
}

export interface KeyUsagePoint extends UsageCounts {
  /** Start of the bucket; days are calendar days in UTC. */
  readonly start: Date;
  readonly keyId: string;
}

export interface WorkspaceUsagePoint extends UsageCounts {
  readonly start: Date;
}

export interface UsageRange {
  readonly workspaceId: string;
  /** Inclusive. */
  readonly from: Date;
  /** Exclusive. */
  readonly to: Date;
  readonly bucket: UsageBucket;
  /** Only this key (which must belong to the workspace for anything to be found). */
  readonly keyId?: string | undefined;
}

const DAY_MS = 86_400_000;
const counts = ['billable', 'not_modified', 'fallbacks', 'new_profiles', 'rejected'] as const;

/** The counts of a bucket, added up, as UsageCounts names them. */
const summed = [
  sql<number>`sum(billable)::int`.as('billable'),
  sql<number>`sum(not_modified)::int`.as('notModified'),
  sql<number>`sum(fallbacks)::int`.as('fallbacks'),
  sql<number>`sum(new_profiles)::int`.as('newProfiles'),
  sql<number>`sum(rejected)::int`.as('rejected'),
] as const;

/** The whole UTC days inside [from, to), when there is at least one. */
function wholeDays(from: Date, to: Date): { from: Date; to: Date } | undefined {
  const first = Math.ceil(from.getTime() / DAY_MS) * DAY_MS;
  const end = Math.floor(to.getTime() / DAY_MS) * DAY_MS;
  return first < end ? { from: new Date(first), to: new Date(end) } : undefined;
}

/**
 * The rows a range covers, as (start, key_id, counts) with `start` already the bucket's start. Hours
 * come from usage_hourly. Days come from usage_daily for the whole days in the range (one row per key
 * and day instead of twenty-four), and from the hours of usage_hourly for a part-day at either end.
 */
function rowsInRange(db: Db, range: UsageRange) {
  const hours = (from: Date, to: Date) => {
    let query = db
      .selectFrom('usage_hourly')
      .select([
        (range.bucket === 'day' ? sql<Date>`date_trunc('day', hour, 'UTC')` : sql<Date>`hour`).as('start'),
        'key_id',
        ...counts,
      ])
      .where('workspace_id', '=', range.workspaceId)
      .where('hour', '>=', from)
      .where('hour', '<', to);
    if (range.keyId !== undefined) query = query.where('key_id', '=', range.keyId);
    return query;
  };
  const days = range.bucket === 'day' ? wholeDays(range.from, range.to) : undefined;
  if (!days) return hours(range.from, range.to);
  let daily = db
    .selectFrom('usage_daily')
    .select([sql<Date>`day`.as('start'), 'key_id', ...counts])
    .where('workspace_id', '=', range.workspaceId)
    .where('day', '>=', days.from)
    .where('day', '<', days.to);
  if (range.keyId !== undefined) daily = daily.where('key_id', '=', range.keyId);
  if (range.from < days.from) daily = daily.unionAll(hours(range.from, days.from));
  if (days.to < range.to) daily = daily.unionAll(hours(days.to, range.to));
  return daily;
}

/** One point per key per bucket that saw any traffic, ordered by time then key. */
export async function usagePerKey(db: Db, range: UsageRange): Promise<KeyUsagePoint[]> {
  return db
    .selectFrom(rowsInRange(db, range).as('u'))
    .select(['start', 'key_id as keyId', ...summed])
    .groupBy(['start', 'key_id'])
    .orderBy('start')
    .orderBy('keyId')
    .execute();
}

/** One point per bucket that saw any traffic, all keys of the workspace added up. */
export async function usagePerWorkspace(db: Db, range: Omit<UsageRange, 'keyId'>): Promise<WorkspaceUsagePoint[]> {
  return db
    .selectFrom(rowsInRange(db, range).as('u'))
    .select(['start', ...summed])
    .groupBy('start')
    .orderBy('start')
    .execute();
}
