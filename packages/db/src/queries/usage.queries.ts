import { sql } from 'kysely';
import type { Db } from '../client.ts';
import { type TrafficCounts, trafficHostsPerKeyHour } from './traffic.queries.ts';

/** Counts of one key in one UTC hour, as an API process adds them up in memory. */
export interface UsageCounts {
  readonly keyId: string;
  /** Start of the UTC hour. */
  readonly hour: Date;
  readonly billable: number;
  readonly notModified: number;
  readonly fallbacks: number;
  readonly newProfiles: number;
  readonly rejected: number;
  /** The key's latest use among these counts. */
  readonly lastUsedAt: Date;
}

/**
 * Adds a batch of counts in one statement: the hourly rows, the workspaces' monthly billable requests,
 * the keys' last use and where their requests came from. The batch id is recorded in the same
 * statement, so a batch sent again after an unconfirmed commit adds nothing: the answer is false then.
 * Concurrent batches from several processes lock rows in one order: the keys by id first, then the
 * rows of each table sorted. Counts of deleted keys are dropped.
 *
 * A host gets a row of its own while its key-hour has fewer than trafficHostsPerKeyHour of them (the
 * busiest of a batch first); the others add to the key-hour's 'other' row. Two processes giving the
 * last free places of a key-hour at the same instant can exceed the number by a few rows.
 */
export async function addUsageBatch(
  db: Db,
  batchId: string,
  rows: readonly UsageCounts[],
  traffic: readonly TrafficCounts[] = [],
): Promise<boolean> {
  const sorted = [...rows].sort((a, b) =>
    a.keyId < b.keyId ? -1 : a.keyId > b.keyId ? 1 : a.hour.getTime() - b.hour.getTime(),
  );
  const column = <T>(pick: (row: UsageCounts) => T): T[] => sorted.map(pick);
  const sources = <T>(pick: (row: TrafficCounts) => T): T[] => traffic.map(pick);
  const keyIds = [...new Set([...sorted.map((r) => r.keyId), ...traffic.map((t) => t.keyId)])];
  const result = await sql<{ applied: boolean }>`
    with batch as (
      insert into usage_batches (id) values (${batchId}::uuid) on conflict (id) do nothing returning id
    ), keys as (
      -- The batch's keys, locked in id order before anything else is written (every write below reads
      -- them through a sort or an aggregate, so all of them first): the last_used_at update would
      -- otherwise lock them in whatever order its join yields, and two batches sharing keys deadlock.
      select k.id, k.workspace_id from api_keys k
      where k.id = any(${keyIds}::uuid[]) and exists (select from batch)
      order by k.id
      for no key update
    ), counts as (
      select r.ord, r.key_id, k.workspace_id, r.hour, r.billable, r.not_modified, r.fallbacks, r.new_profiles,
        r.rejected, r.last_used_at
      from unnest(
        ${column((r) => r.keyId)}::uuid[], ${column((r) => r.hour.toISOString())}::timestamptz[],
        ${column((r) => r.billable)}::int[], ${column((r) => r.notModified)}::int[],
        ${column((r) => r.fallbacks)}::int[], ${column((r) => r.newProfiles)}::int[],
        ${column((r) => r.rejected)}::int[], ${column((r) => r.lastUsedAt.toISOString())}::timestamptz[]
      ) with ordinality as r(key_id, hour, billable, not_modified, fallbacks, new_profiles, rejected, last_used_at, ord)
      join keys k on k.id = r.key_id
    ), hourly as (
      insert into usage_hourly as u (key_id, workspace_id, hour, billable, not_modified, fallbacks, new_profiles, rejected)
      select key_id, workspace_id, hour, billable, not_modified, fallbacks, new_profiles, rejected from counts order by ord
      on conflict (key_id, hour) do update set
        billable = u.billable + excluded.billable,
        not_modified = u.not_modified + excluded.not_modified,
        fallbacks = u.fallbacks + excluded.fallbacks,
        new_profiles = u.new_profiles + excluded.new_profiles,
        rejected = u.rejected + excluded.rejected
    ), monthly as (
      insert into workspace_monthly_usage as m (workspace_id, month, requests)
      select workspace_id, date_trunc('month', hour at time zone 'UTC')::date, sum(billable)::int
      from counts group by 1, 2 having sum(billable) > 0 order by 1, 2
      on conflict (workspace_id, month) do update set requests = m.requests + excluded.requests
    ), used as (
      update api_keys k set last_used_at = l.last_used_at
      from (select key_id, max(last_used_at) as last_used_at from counts group by key_id) l
      where k.id = l.key_id and (k.last_used_at is null or k.last_used_at < l.last_used_at)
    ), traffic_in as (
      select t.key_id, t.hour, t.source, t.host, t.requests, t.blocked
      from unnest(
        ${sources((r) => r.keyId)}::uuid[], ${sources((r) => r.hour.toISOString())}::timestamptz[],
        ${sources((r) => r.source)}::text[], ${sources((r) => r.host ?? '')}::text[],
        ${sources((r) => r.requests)}::int[], ${sources((r) => r.blocked)}::int[]
      ) as t(key_id, hour, source, host, requests, blocked)
      join keys k on k.id = t.key_id
    ), held as materialized (
      -- The hosts each key-hour of the batch holds by name already: one index range per key-hour.
      select h.key_id, h.hour, array_agg(h.host) as hosts
      from (select distinct key_id, hour from traffic_in where source = 'host') kh
      join traffic_hosts h on h.key_id = kh.key_id and h.hour = kh.hour and h.source = 'host'
      group by 1, 2
    ), traffic_known as (
      select i.key_id, i.hour, i.source, i.host, i.requests, i.blocked,
        i.source = 'host' and not coalesce(i.host = any(held.hosts), false) as new_host,
        coalesce(cardinality(held.hosts), 0) as held_hosts
      from traffic_in i left join held on held.key_id = i.key_id and held.hour = i.hour
    ), traffic_placed as (
      select k.key_id, k.hour, k.source, k.host, k.requests, k.blocked, not k.new_host or (
          k.held_hosts + row_number() over (partition by k.key_id, k.hour, k.new_host order by k.requests desc, k.host)
        ) <= ${trafficHostsPerKeyHour} as own_row
      from traffic_known k
    ), traffic as (
      insert into traffic_hosts as h (key_id, hour, source, host, requests, blocked)
      select key_id, hour, case when own_row then source else 'other' end, case when own_row then host else '' end,
        sum(requests), sum(blocked)
      from traffic_placed group by 1, 2, 3, 4 order by 1, 2, 3, 4
      on conflict (key_id, hour, source, host) do update set
        requests = h.requests + excluded.requests,
        blocked = h.blocked + excluded.blocked
    )
    select exists (select from batch) as applied`.execute(db);
  return result.rows[0]?.applied ?? false;
}

/** Forgets applied batch ids older than `before` (a resend only ever follows its batch by seconds). */
export async function pruneUsageBatches(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('usage_batches').where('applied_at', '<', before).execute();
}
