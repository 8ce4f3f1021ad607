import type postgres from 'postgres';

/**
 * A point in the change log that a listener has provably received everything before: the highest id
 * committed then, and the oldest transaction still running then (rows of transactions that were
 * running may carry lower ids, since ids follow insert order, not commit order).
 */
export interface ChangeMark {
  readonly maxId: string;
  readonly xmin: string;
}

export interface LoggedChange {
  readonly id: string;
  readonly channel: string;
  readonly payload: string;
}

/**
 * Sends a notification on `channel` and reads the change-log mark in the same statement: once the
 * notification arrives back, every change visible to this statement has been delivered too (PostgreSQL
 * delivers notifications in commit order).
 */
export async function pingWithChangeMark(sql: postgres.Sql, channel: string, token: string): Promise<ChangeMark> {
  const [row] = await sql<{ max_id: string; xmin: string }[]>`
    select pg_notify(${channel}, ${token}),
      coalesce((select max(id) from change_log), 0)::text as max_id,
      pg_snapshot_xmin(pg_current_snapshot())::text as xmin`;
  return { maxId: row?.max_id ?? '0', xmin: row?.xmin ?? '0' };
}

/**
 * Changes a listener may have missed since `mark`: rows after its id, and rows of transactions that
 * were still running then. At most `limit` rows, so a caller can tell when re-reading everything is
 * cheaper; null when rows that old may already have been pruned.
 */
export async function changesSince(sql: postgres.Sql, mark: ChangeMark, limit: number): Promise<LoggedChange[] | null> {
  const rows = await sql<LoggedChange[]>`
    select id::text as id, channel, payload from change_log
    where id > ${mark.maxId}::bigint or tx >= ${mark.xmin}::xid8
    order by id
    limit ${limit + 1}`;
  return rows.length > limit ? null : rows.map((r) => ({ id: r.id, channel: r.channel, payload: r.payload }));
}

/** Drops changes older than `before`: a listener away longer than that re-reads everything instead. */
export async function pruneChangeLog(sql: postgres.Sql, before: Date): Promise<void> {
  await sql`delete from change_log where changed_at < ${before}`;
}
