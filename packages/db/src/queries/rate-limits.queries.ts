import { sql } from 'kysely';
import type { Db } from '../client.ts';

export interface RateLimitClaim {
  readonly keyId: string;
  /** Start of the UTC minute the tokens are for. */
  readonly windowStart: Date;
  /** Tokens to add to the window's count (already spent ones and ones wanted ahead). */
  readonly tokens: number;
}

export interface RateLimitClaimResult {
  readonly keyId: string;
  readonly windowStart: Date;
  /** The window's count after this claim, over every process; this claim holds the last `tokens` of it. */
  readonly total: number;
}

/**
 * Adds claims to the per-key minute windows shared by every API process, in one statement, and
 * answers each window's new total. Claims on one row are serialised by its lock, so the positions a
 * claim receives (total - tokens, total] are its alone: a caller may use those at or under the limit.
 * Claims are sorted so that concurrent batches lock rows in one order; claims of deleted keys vanish.
 */
export async function claimRateLimitTokens(db: Db, claims: readonly RateLimitClaim[]): Promise<RateLimitClaimResult[]> {
  if (claims.length === 0) return [];
  const sorted = [...claims].sort((a, b) => (a.keyId < b.keyId ? -1 : a.keyId > b.keyId ? 1 : 0));
  const result = await sql<{ key_id: string; window_start: Date; requests: number }>`
    insert into rate_limit_windows as w (key_id, window_start, requests)
    select c.key_id, c.window_start, c.tokens
    from unnest(
      ${sorted.map((c) => c.keyId)}::uuid[],
      ${sorted.map((c) => c.windowStart.toISOString())}::timestamptz[],
      ${sorted.map((c) => c.tokens)}::int[]
    ) with ordinality as c(key_id, window_start, tokens, ord)
    where exists (select from api_keys k where k.id = c.key_id)
    order by c.ord
    on conflict (key_id, window_start) do update set requests = w.requests + excluded.requests
    returning w.key_id, w.window_start, w.requests`.execute(db);
  return result.rows.map((r) => ({ keyId: r.key_id, windowStart: r.window_start, total: r.requests }));
}

/** The requests counted for a key in a window over every process (0 when none). */
export async function getRateLimitWindowTotal(db: Db, keyId: string, windowStart: Date): Promise<number> {
  const row = await db
    .selectFrom('rate_limit_windows')
    .select('requests')
    .where('key_id', '=', keyId)
    .where('window_start', '=', windowStart)
    .executeTakeFirst();
  return row?.requests ?? 0;
}

/** Drops windows that started before `before`; only the current minute is ever read. */
export async function pruneRateLimitWindows(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('rate_limit_windows').where('window_start', '<', before).execute();
}
