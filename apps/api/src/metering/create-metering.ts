import type { DatabaseHandle } from '@avtrz/db/client';
import { channels } from '@avtrz/db/notify';
import { pruneRateLimitWindows } from '@avtrz/db/queries/rate-limits.queries';
import { pruneTrafficHosts, trafficRetentionDays } from '@avtrz/db/queries/traffic.queries';
import { pruneUsageBatches } from '@avtrz/db/queries/usage.queries';
import type { Config } from '@avtrz/shared/config';
import type { Logger } from '@avtrz/shared/logger';
import type { Metering } from './metering.ts';
import { createProfileAdmissions, type ProfileAdmissionOptions } from './profile-admission.ts';
import { createRateLimiter } from './rate-limiter.ts';
import { createUsageCounter, type UsageCounterOptions } from './usage-counter.ts';

export interface MeteringDeps {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly logger: Logger;
  /** Memory bounds; the defaults suit production. */
  readonly limits?: UsageCounterOptions & ProfileAdmissionOptions;
}

const MINUTE_MS = 60_000;
/** How long a clean stop keeps trying to write what it holds before giving up (and saying so). */
const CLOSE_FLUSH_DEADLINE_MS = 10_000;
/** Applied batch ids are kept a day: a resend follows its batch by seconds, an outage by hours. */
const BATCH_ID_RETENTION_MS = 24 * 3_600_000;

/**
 * Usage counting, quotas and rate limits for one API process: answered from memory, written every
 * USAGE_FLUSH_MS in one statement per batch. See usage-counter.ts, profile-admission.ts and
 * rate-limiter.ts for the bounds each part keeps.
 */
export function createMetering(deps: MeteringDeps): Metering {
  const { config, database, logger } = deps;
  const usage = createUsageCounter(database.db, logger, deps.limits);
  const admissions = createProfileAdmissions(database.db, usage, deps.limits);
  const limiter = createRateLimiter(database.db, logger);
  let closed = false;

  const flushTimer = setInterval(() => {
    usage.flush().catch(() => {}); // logged by the counter; the counts stay held
  }, config.usageFlushMs);
  flushTimer.unref();

  let housekeeping = 0;
  const housekeepingTimer = setInterval(() => {
    const now = Date.now();
    limiter.sweep(now);
    if (housekeeping++ % 10 === 0) {
      Promise.all([
        pruneUsageBatches(database.db, new Date(now - BATCH_ID_RETENTION_MS)),
        pruneRateLimitWindows(database.db, new Date(now - 2 * MINUTE_MS)),
        pruneTrafficHosts(database.db, new Date(now - trafficRetentionDays * 24 * 3_600_000)),
      ]).catch((error: unknown) => logger.debug({ err: error }, 'metering clean-up skipped'));
    }
  }, MINUTE_MS);
  housekeepingTimer.unref();

  return {
    takeRateLimit: (key, nowMs) => limiter.take(key, nowMs),
    admitProfile: (key, handle, nowMs, reservedRequests) => admissions.admit(key, handle, nowMs, reservedRequests),
    admitProfileSync: (key, handle, nowMs) => admissions.admitSync(key, handle, nowMs),
    record: (key, event, nowMs) => usage.count(key, event, nowMs),
    recordSource: (key, host, blocked, nowMs) => usage.countSource(key, host, blocked, nowMs),
    flush: () => usage.flush(),
    // A plan change lifts or tightens quotas: refusals remembered for the workspace no longer hold.
    changes: {
      changed: { [channels.workspaces]: (workspaceId) => admissions.dropWorkspace(workspaceId) },
      expireAll: () => admissions.dropAllRefusals(),
    },
    stats: {
      usage: usage.stats,
      get pendingUsageRows() {
        return usage.pendingRows;
      },
      rateLimits: limiter.stats,
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(flushTimer);
      clearInterval(housekeepingTimer);
      await limiter.close();
      const deadline = Date.now() + CLOSE_FLUSH_DEADLINE_MS;
      for (;;) {
        try {
          await usage.flush();
          return;
        } catch (error) {
          if (Date.now() >= deadline) {
            logger.error(
              { err: error, pendingRows: usage.pendingRows },
              'stopping with usage counts the database did not take',
            );
            return;
          }
          await delay(250);
        }
      }
    },
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
