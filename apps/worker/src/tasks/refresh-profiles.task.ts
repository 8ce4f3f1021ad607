import type { Db } from '@avtrz/db/client';
import { queueDueRefreshes } from '@avtrz/db/queries/profiles.queries';
import type { Logger } from '@avtrz/shared/logger';
import { sql } from 'kysely';
import type { Task } from 'graphile-worker';
import type { ResolutionPolicy } from '../resolution/resolution-context.ts';

/** How many profiles one run queues at most; the cron runs every minute. */
const BATCH = 2000;
/** A queued refresh not finished after this long is queued again. */
const LEASE_MS = 15 * 60_000;

/**
 * Cron, every minute: queues resolution for profiles that are due (photo older than the refresh
 * interval, no photo older than the re-check interval, failures whose back-off has passed) and still
 * wanted (requested within the refresh interval, or by any workspace this month).
 */
export function refreshProfilesTask(deps: { db: Db; policy: ResolutionPolicy; logger: Logger }): Task {
  return async () => {
    const now = new Date();
    await releaseDeadResolutionJobs(deps.db);
    const handles = await queueDueRefreshes(deps.db, {
      now,
      requestedSince: new Date(now.getTime() - deps.policy.refreshIntervalMs),
      leaseMs: LEASE_MS,
      staleAfterMs: LEASE_MS,
      limit: BATCH,
    });
    if (handles.length > 0) deps.logger.info({ count: handles.length }, 'profiles queued for refresh');
  };
}

/**
 * A resolve_profile job that failed for good would keep its job key and so block every later
 * request for the handle (the key deduplicates); the profile's own schedule takes over instead.
 */
async function releaseDeadResolutionJobs(db: Db): Promise<void> {
  await sql`select graphile_worker.complete_jobs(array(
      select id from graphile_worker.jobs
      where task_identifier = 'resolve_profile' and attempts >= max_attempts and locked_at is null))`.execute(db);
}
