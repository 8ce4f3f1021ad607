import { sql } from 'kysely';
import type { Db } from '../client.ts';
import type { ApiKeyRow } from '../schema/database.ts';
import type { TrafficSource } from '../schema/traffic.table.ts';

/**
 * Where keys' requests come from (traffic_hosts, migration 0005). The API processes add to it with their
 * usage batches (usage.queries.ts); the console reads it per key.
 */

/**
 * Hosts a key-hour keeps by name; the rest of that hour's hosts add to its 'other' row. Twenty is more
 * than the sites one key serves, and keeps a week of a key at most 3 360 host rows however many hosts
 * a leaked key is used from. The API holds no more than this per key-hour in memory either.
 */
export const trafficHostsPerKeyHour = 20;
/** Hosts a key lists by name when read (its busiest); the rest are added to its 'other' total. */
export const trafficHostsListedPerKey = 200;
/** Hours older than this are pruned: the console reads 7 days, the admin API at most this. */
export const trafficRetentionDays = 31;

/** One source of one key in one UTC hour, as an API process adds it up in memory. */
export interface TrafficCounts {
  readonly keyId: string;
  /** Start of the UTC hour. */
  readonly hour: Date;
  readonly source: TrafficSource;
  /** Lower-case ASCII host when source is 'host', otherwise null. */
  readonly host: string | null;
  readonly requests: number;
  /** Of those, refused with domain_blocked. */
  readonly blocked: number;
}

export interface SourceTotal {
  readonly source: TrafficSource;
  readonly host: string | null;
  readonly requests: number;
  readonly blocked: number;
}

export interface KeyTraffic {
  readonly key: ApiKeyRow;
  /** Busiest first. */
  readonly sources: SourceTotal[];
}

export interface TrafficQuery {
  readonly workspaceId: string;
  /** Hours from this one on (inclusive). */
  readonly since: Date;
  /** Keys revoked by then are listed only when they had traffic. */
  readonly now: Date;
  /** Only this key (which must belong to the workspace for anything to be found). */
  readonly keyId?: string | undefined;
  /** Hosts listed by name per key, default trafficHostsListedPerKey; the rest are added to its 'other' row. */
  readonly maxHostsPerKey?: number | undefined;
}

/**
 * The sources of each key of a workspace since a time, summed over the hours: every key still active,
 * and revoked keys that had traffic meanwhile (a leaked key is audited after it was revoked), oldest
 * key first.
 */
export async function trafficPerKey(db: Db, query: TrafficQuery): Promise<KeyTraffic[]> {
  const maxHosts = query.maxHostsPerKey ?? trafficHostsListedPerKey;
  let totals = db
    .selectFrom('traffic_hosts as t')
    .innerJoin('api_keys as k', 'k.id', 't.key_id')
    .where('k.workspace_id', '=', query.workspaceId)
    .where('t.hour', '>=', query.since)
    .select([
      't.key_id as keyId',
      't.source',
      't.host',
      sql<number>`sum(t.requests)::int`.as('requests'),
      sql<number>`sum(t.blocked)::int`.as('blocked'),
    ])
    .groupBy(['t.key_id', 't.source', 't.host'])
    .orderBy('t.key_id')
    .orderBy(sql`sum(t.requests)`, 'desc')
    .orderBy('t.host')
    .orderBy('t.source');
  let keys = db.selectFrom('api_keys').selectAll().where('workspace_id', '=', query.workspaceId);
  if (query.keyId !== undefined) {
    totals = totals.where('t.key_id', '=', query.keyId);
    keys = keys.where('id', '=', query.keyId);
  }
  const [keyRows, totalRows] = await Promise.all([
    keys.orderBy('created_at').orderBy('id').execute(),
    totals.execute(),
  ]);

  const byKey = new Map<string, SourceTotal[]>();
  for (const row of totalRows) {
    let sources = byKey.get(row.keyId);
    if (!sources) byKey.set(row.keyId, (sources = []));
    const { source, requests, blocked } = row;
    sources.push({ source, host: source === 'host' ? row.host : null, requests, blocked });
  }
  const result: KeyTraffic[] = [];
  for (const key of keyRows) {
    const sources = byKey.get(key.id);
    const active = key.revoked_at === null || key.revoked_at > query.now;
    if (!sources && !active) continue;
    result.push({ key, sources: sources ? foldBeyond(sources, maxHosts) : [] });
  }
  return result;
}

/** Keeps the busiest `maxHosts` named hosts and adds the rest to the 'other' total. */
function foldBeyond(sources: SourceTotal[], maxHosts: number): SourceTotal[] {
  let named = 0;
  let folded: { requests: number; blocked: number } | undefined;
  const kept: SourceTotal[] = [];
  for (const source of sources) {
    if (source.source === 'other' || (source.source === 'host' && ++named > maxHosts)) {
      folded ??= { requests: 0, blocked: 0 };
      folded.requests += source.requests;
      folded.blocked += source.blocked;
    } else {
      kept.push(source);
    }
  }
  if (folded) kept.push({ source: 'other', host: null, ...folded });
  return kept.sort((a, b) => b.requests - a.requests);
}

/** Forgets hours before `before`. */
export async function pruneTrafficHosts(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('traffic_hosts').where('hour', '<', before).execute();
}
