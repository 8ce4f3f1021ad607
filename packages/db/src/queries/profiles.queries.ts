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
