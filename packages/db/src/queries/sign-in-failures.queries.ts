import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../client.ts';

/** Counters behind the sign-in lockout, one row per subject (a hashed email or a client address). */

/** The latest `locked_until` among the subjects that is still in the future, if any. */
export async function findActiveLock(db: Db, subjects: readonly string[], now: Date): Promise<Date | undefined> {
  if (subjects.length === 0) return undefined;
  const row = await db
    .selectFrom('sign_in_failures')
    .select((eb) => eb.fn.max('locked_until').as('until'))
    .where('subject', 'in', [...subjects])
    .where('locked_until', '>', now)
    .executeTakeFirst();
  return row?.until ?? undefined;
}

export interface LockPolicy {
  /** Failures within the window that cost nothing. */
  readonly freeFailures: number;
  readonly windowSeconds: number;
  /** The first lock; each further failure doubles it, up to maxLockSeconds. */
  readonly baseLockSeconds: number;
  readonly maxLockSeconds: number;
}

/**
 * Counts one failure for the subject in one statement (a window that has passed starts again at 1) and
 * sets the lock the policy gives for the new count. Returns the count and the lock.
 */
export async function recordSignInFailure(
  db: Db,
  subject: string,
  now: Date,
  policy: LockPolicy,
): Promise<{ failures: number; lockedUntil: Date | null }> {
  const windowStart = new Date(now.getTime() - policy.windowSeconds * 1000);
  const count = sql<number>`case when f.window_started_at < ${windowStart} then 1 else f.failures + 1 end`;
  const lockFor = (failures: RawBuilder<number>) => sql<Date | null>`case
      when ${failures} <= ${policy.freeFailures} then null
      else ${now}::timestamptz + make_interval(secs => least(${policy.maxLockSeconds}::float8,
        ${policy.baseLockSeconds}::float8 * power(2, ${failures} - ${policy.freeFailures} - 1)))
    end`;
  const result = await sql<{ failures: number; locked_until: Date | null }>`
    insert into sign_in_failures as f (subject, failures, window_started_at, locked_until)
    values (${subject}, 1, ${now}, ${lockFor(sql<number>`1`)})
    on conflict (subject) do update set
      failures = ${count},
      window_started_at = case when f.window_started_at < ${windowStart} then ${now} else f.window_started_at end,
      locked_until = ${lockFor(count)}
    returning failures, locked_until`.execute(db);
  const row = result.rows[0];
  return { failures: row?.failures ?? 1, lockedUntil: row?.locked_until ?? null };
}

/** Drops counters whose window and lock have both passed, so that sprayed emails do not pile up. */
export async function pruneSignInFailures(db: Db, now: Date, windowSeconds: number): Promise<void> {
  const windowStart = new Date(now.getTime() - windowSeconds * 1000);
  await db
    .deleteFrom('sign_in_failures')
    .where('window_started_at', '<', windowStart)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .execute();
}

export async function clearSignInFailures(db: Db, subject: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('subject', '=', subject).execute();
}
