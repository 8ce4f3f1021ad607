import { sql } from 'kysely';
import type { Db } from '../client.ts';
import type { ProfileStatus } from '../schema/database.ts';

export interface ServableVariant {
  readonly size: number;
  readonly contentHash: string;
  readonly storageKey: string;
  readonly contentType: string;
}

export interface ServableProfile {
  readonly handle: string;
  readonly status: ProfileStatus;
  readonly imageHash: string | null;
  /** The current image's renditions by size; empty unless status is 'resolved'. */
  readonly variants: ReadonlyMap<number, ServableVariant>;
  readonly checkedAt: Date | null;
  readonly resolvedAt: Date | null;
}

/** What /v1/avatar needs to answer for a handle, in one round trip; undefined when never seen. */
export async function getServableProfile(db: Db, handle: string): Promise<ServableProfile | undefined> {
  const rows = await db
    .selectFrom('profiles as p')
    .leftJoin('image_variants as v', (join) =>
      join.onRef('v.image_hash', '=', 'p.image_hash').on('p.status', '=', 'resolved'),
    )
    .select([
      'p.handle',
      'p.status',
      'p.image_hash',
      'p.checked_at',
      'p.resolved_at',
      'v.size',
      'v.content_hash',
      'v.storage_key',
      'v.content_type',
    ])
    .where('p.handle', '=', handle)
    .execute();
  const first = rows[0];
  if (!first) return undefined;
  const variants = new Map<number, ServableVariant>();
  for (const row of rows) {
    if (row.size !== null && row.content_hash !== null && row.storage_key !== null && row.content_type !== null) {
      variants.set(row.size, {
        size: row.size,
        contentHash: row.content_hash,
        storageKey: row.storage_key,
        contentType: row.content_type,
      });
    }
  }
  return {
    handle: first.handle,
    status: first.status,
    imageHash: first.image_hash,
    variants,
    checkedAt: first.checked_at,
    resolvedAt: first.resolved_at,
  };
}

export const RESOLVE_PROFILE_TASK = 'resolve_profile';

/**
 * Makes sure a profile row exists and a resolution job is queued for it. The job key makes many
 * callers (and many API processes) share one job: while a job for the handle is queued or running,
 * no second one is added. The per-handle queue makes jobs for one handle run one at a time.
 * `runAt` delays the job (refresh back-off); omitted, it runs now.
 */
export async function requestProfileResolution(
  db: Db,
  handle: string,
  options: { runAt?: Date; reason?: string } = {},
): Promise<void> {
  await db
    .insertInto('profiles')
    .values({ handle, status: 'pending' })
    .onConflict((oc) => oc.column('handle').doNothing())
    .execute();
  await sql`select graphile_worker.add_job(
      ${RESOLVE_PROFILE_TASK},
      json_build_object('handle', ${handle}::text, 'reason', ${options.reason ?? 'request'}::text),
      queue_name := ${`profile:${handle}`}::text,
      run_at := ${options.runAt ?? null}::timestamptz,
      max_attempts := 5,
      job_key := ${`resolve_profile:${handle}`}::text,
      job_key_mode := 'unsafe_dedupe'
    )`.execute(db);
}

// ---- Write side: the resolution worker records what it found. ----

export interface ProfileForResolution {
  readonly handle: string;
  readonly status: ProfileStatus;
  readonly imageHash: string | null;
  readonly failureCount: number;
}

/**
 * Locks a profile's row for the rest of the transaction (creating it as pending when it is missing),
 * so that two writers never interleave their view of one profile.
 */
export async function lockProfileForResolution(trx: Db, handle: string): Promise<ProfileForResolution> {
  await trx
    .insertInto('profiles')
    .values({ handle, status: 'pending' })
    .onConflict((oc) => oc.column('handle').doNothing())
    .execute();
  const row = await trx
    .selectFrom('profiles')
    .select(['handle', 'status', 'image_hash', 'failure_count'])
    .where('handle', '=', handle)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { handle: row.handle, status: row.status, imageHash: row.image_hash, failureCount: row.failure_count };
}

/** The profile has this photo now; failures are forgotten. */
export async function markProfileResolved(
  trx: Db,
  handle: string,
  values: { imageHash: string; now: Date; nextRefreshAt: Date },
): Promise<void> {
  await trx
    .updateTable('profiles')
    .set({
      status: 'resolved',
      image_hash: values.imageHash,
      resolved_at: values.now,
      checked_at: values.now,
      next_refresh_at: values.nextRefreshAt,
      failure_count: 0,
      last_error: null,
      updated_at: values.now,
    })
    .where('handle', '=', handle)
    .execute();
}

/** The profile does not exist or shows no usable photo; `reason` is kept for operators. */
export async function markProfileNoPhoto(
  trx: Db,
  handle: string,
  values: { reason: string; now: Date; nextRefreshAt: Date },
): Promise<void> {
  await trx
    .updateTable('profiles')
    .set({
      status: 'no_photo',
      image_hash: null,
      checked_at: values.now,
      next_refresh_at: values.nextRefreshAt,
      failure_count: 0,
      last_error: values.reason,
      updated_at: values.now,
    })
    .where('handle', '=', handle)
    .execute();
}

/**
 * A resolution attempt failed (anti-bot answer, outage, hostile answer). A profile that already has
 * an answer keeps it (a resolved profile keeps serving its photo); one that never had one is 'failed'.
 * Never recorded as "no photo".
 */
export async function recordProfileFailure(
  trx: Db,
  handle: string,
  values: { error: string; now: Date; nextRefreshAt: Date; failureCount: number },
): Promise<void> {
  await trx
    .updateTable('profiles')
    .set((eb) => ({
      status: eb
        .case()
        .when('status', 'in', ['resolved', 'no_photo'])
        .then(eb.ref('status'))
        .else(sql<ProfileStatus>`'failed'`)
        .end(),
      checked_at: values.now,
      next_refresh_at: values.nextRefreshAt,
      failure_count: values.failureCount,
      last_error: values.error,
      updated_at: values.now,
    }))
    .where('handle', '=', handle)
    .execute();
}

/**
 * Claims profiles due for another look and queues their resolution, in one transaction:
 * due means `next_refresh_at` has passed (or a pending profile has waited `staleAfterMs` without a
 * result), and still wanted means requested since `requestedSince` (`last_requested_at`) or by any
 * workspace in the current calendar month. Claimed profiles get `next_refresh_at = now + leaseMs`,
 * so the next run does not claim them again while their job waits; the job sets the real time.
 */
export async function queueDueRefreshes(
  db: Db,
  options: { now: Date; requestedSince: Date; leaseMs: number; staleAfterMs: number; limit: number },
): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const claimed = await sql<{ handle: string }>`
      with due as (
        select p.handle from profiles p
        where coalesce(p.next_refresh_at,
                       case when p.status = 'pending' then p.updated_at + ${options.staleAfterMs} * interval '1 millisecond' end)
              <= ${options.now}::timestamptz
          and (p.last_requested_at >= ${options.requestedSince}::timestamptz
               or exists (select 1 from workspace_monthly_profiles m
                          where m.handle = p.handle
                            and m.month = date_trunc('month', ${options.now}::timestamptz at time zone 'UTC')::date))
        order by p.next_refresh_at nulls first
        limit ${options.limit}
        for update skip locked
      )
      update profiles p set next_refresh_at = ${options.now}::timestamptz + ${options.leaseMs} * interval '1 millisecond'
      from due where p.handle = due.handle
      returning p.handle`.execute(trx);
    const handles = claimed.rows.map((r) => r.handle);
    for (const handle of handles) await requestProfileResolution(trx, handle, { reason: 'refresh' });
    return handles;
  });
}
