import { sql } from 'kysely';
import type { Db } from '../client.ts';

/** Reading usage back for people: series from `usage_hourly`, month totals from `workspace_monthly_usage`. */

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

function bucketStart(bucket: UsageBucket) {
  // The 3-argument date_trunc cuts in UTC whatever the session's time zone is.
  return bucket === 'day' ? sql<Date>`date_trunc('day', hour, 'UTC')` : sql<Date>`hour`;
}

const sums = {
  billable: sql<number>`sum(billable)::int`,
  notModified: sql<number>`sum(not_modified)::int`,
  fallbacks: sql<number>`sum(fallbacks)::int`,
  newProfiles: sql<number>`sum(new_profiles)::int`,
  rejected: sql<number>`sum(rejected)::int`,
};

function rangeQuery(db: Db, range: UsageRange) {
  let query = db
    .selectFrom('usage_hourly')
    .where('workspace_id', '=', range.workspaceId)
    .where('hour', '>=', range.from)
    .where('hour', '<', range.to);
  if (range.keyId !== undefined) query = query.where('key_id', '=', range.keyId);
  return query;
}

/** One point per key per bucket that saw any traffic, ordered by time then key. */
export async function usagePerKey(db: Db, range: UsageRange): Promise<KeyUsagePoint[]> {
  const start = bucketStart(range.bucket);
  return rangeQuery(db, range)
    .select([
      start.as('start'),
      'key_id as keyId',
      sums.billable.as('billable'),
      sums.notModified.as('notModified'),
      sums.fallbacks.as('fallbacks'),
      sums.newProfiles.as('newProfiles'),
      sums.rejected.as('rejected'),
    ])
    .groupBy([start, 'key_id'])
    .orderBy('start')
    .orderBy('keyId')
    .execute();
}

/** One point per bucket that saw any traffic, all keys of the workspace added up. */
export async function usagePerWorkspace(db: Db, range: Omit<UsageRange, 'keyId'>): Promise<WorkspaceUsagePoint[]> {
  const start = bucketStart(range.bucket);
  return rangeQuery(db, range)
    .select([
      start.as('start'),
      sums.billable.as('billable'),
      sums.notModified.as('notModified'),
      sums.fallbacks.as('fallbacks'),
      sums.newProfiles.as('newProfiles'),
      sums.rejected.as('rejected'),
    ])
    .groupBy(start)
    .orderBy('start')
    .execute();
}
