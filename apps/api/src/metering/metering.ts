import type { KeyForRequest } from '@avtrz/db/queries/key-lookup.queries';
import type { ChangeTarget } from '../changes/change-target.ts';
import type { RateLimitStats } from './rate-limiter.ts';
import type { UsageWriteStats } from './usage-counter.ts';

/**
 * Usage, quotas and rate limits as the /v1/avatar handler sees them (CONTRACT §3). Everything here is
 * answered from memory on the hot path; the implementation writes to PostgreSQL in batches. Times are
 * epoch milliseconds, read once per request.
 */

/** What one answer to a keyed request counts as. A 200 fallback is billable and a fallback. */
export type UsageEvent = 'billable_redirect' | 'billable_fallback' | 'not_modified' | 'rejected';

export interface RateLimitDecision {
  readonly allowed: boolean;
  /** For the IETF RateLimit-* headers sent on every keyed answer. */
  readonly limit: number;
  readonly remaining: number;
  /** Whole seconds until the budget is fully available again (RateLimit-Reset). */
  readonly resetSeconds: number;
  /** Whole seconds (≥ 1) to wait before retrying; meaningful when not allowed. */
  readonly retryAfterSeconds: number;
}

export type ProfileAdmission =
  /** Served; `newProfile` is true on the workspace's first request for the handle this month. */
  { readonly kind: 'admitted'; readonly newProfile: boolean } | { readonly kind: 'quota_exceeded' };

export interface Metering {
  /** Takes one request from the key's per-minute budget. No I/O. */
  takeRateLimit(key: KeyForRequest, nowMs: number): RateLimitDecision;
  /**
   * Whether the key's workspace may be served this profile. Profiles it already requested this month
   * are always admitted from memory; a new one is checked against both monthly quotas (and counted
   * as a new profile exactly once across processes). `reservedRequests` are billable answers the
   * caller already admitted but has not counted yet (a batch's earlier entries); default 0.
   */
  admitProfile(key: KeyForRequest, handle: string, nowMs: number, reservedRequests?: number): Promise<ProfileAdmission>;
  /**
   * The same answer when memory holds it (a profile the workspace requested this month, or one just
   * refused), with no promise; undefined when the database must decide (call admitProfile then).
   */
  admitProfileSync(key: KeyForRequest, handle: string, nowMs: number): ProfileAdmission | undefined;
  /** Counts an answer (and the key's last use) in memory; written in batches. */
  record(key: KeyForRequest, event: UsageEvent, nowMs: number): void;
  /**
   * Counts where a request of the key came from, in memory, written with the usage: `host` as
   * requestSourceHost reads it (undefined: neither Origin nor Referer; null: a header naming no host),
   * `blocked` when the request is refused with domain_blocked.
   */
  recordSource(key: KeyForRequest, host: string | null | undefined, blocked: boolean, nowMs: number): void;
  /** Writes what is held in memory now. */
  flush(): Promise<void>;
  /** What plan changes make stale here (remembered refusals), for the process's change listener. */
  readonly changes: ChangeTarget;
  /** Stops the timers and writes everything (a clean stop loses no counts). */
  close(): Promise<void>;
  /** Plain counters for the metrics: usage rows written and waiting, rate-limit leases. */
  readonly stats: MeteringStats;
}

export interface MeteringStats {
  readonly usage: UsageWriteStats;
  /** Usage rows held in memory, not yet written. */
  readonly pendingUsageRows: number;
  readonly rateLimits: RateLimitStats;
}
