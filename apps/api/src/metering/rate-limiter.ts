import type { Db } from '@avtrz/db/client';
import type { KeyForRequest } from '@avtrz/db/queries/key-lookup.queries';
import { claimRateLimitTokens, type RateLimitClaim } from '@avtrz/db/queries/rate-limits.queries';
import type { Logger } from '@avtrz/shared/logger';
import type { RateLimitDecision } from './metering.ts';
import { throttledLog } from './_throttled-log.ts';
import { withTimeout } from './_with-timeout.ts';

const WINDOW_MS = 60_000;
/** Most keys per claim statement. */
const MAX_CLAIMS = 5_000;
/** After a failed claim the next one waits this long: the database is likely away. */
const RETRY_AFTER_FAILURE_MS = 1_000;
/** A claim not answered by then puts the process offline (it limits alone meanwhile). */
const CLAIM_TIMEOUT_MS = 3_000;
/**
 * A claim that timed out may still be counted when the database comes back: it is waited for this
 * long before its tokens are sent again, since sending them twice would charge the key twice.
 */
const CLAIM_ABANDON_MS = 30_000;

/**
 * Per-key limits shared by every API process, with no I/O on the hot path.
 *
 * The limit holds per UTC minute: the count of a key's minute lives in rate_limit_windows, and each
 * process leases tokens from it in chunks (claimed in one statement for many keys, ahead of need).
 * A claim's positions in the count are its own, and only positions at or under the limit are usable,
 * so leased tokens never exceed the limit over all processes. A process that has no token yet and
 * does not know the minute to be spent accepts a request on credit, at most `creditOf(limit)`
 * (min(limit, 1000, max(10, ⌈limit/20⌉))) unclaimed at a time, and charges it in its next claim. Hence, per
 * key and UTC minute, with N processes serving it:
 *
 *   accepted ≤ limit + N·creditOf(limit)        (e.g. 600/min, 2 processes: ≤ 660)
 *
 * Tokens one process leased but did not use are lost for the minute, so the key may be refused
 * early by up to N·maxChunkOf(limit) (a tenth of the limit, at most 10 000, each) when its traffic moves between
 * processes; and a burst faster than one claim's round trip beyond the credit is refused with
 * Retry-After: 1.
 * While the database cannot be reached, each process applies the limit alone (≤ N·limit) and
 * charges what it accepted once a claim goes through again. That debt is not credit: while it is being
 * charged, a key is refused only when this process's own count puts it at its limit, so reconciling
 * an outage never refuses a key under its limit. A claim that timed out is awaited before its tokens
 * are sent again (a statement the database runs late would otherwise charge them twice).
 *
 * A shared fixed window rather than GCRA: the count of a minute is what PostgreSQL can keep exact
 * across processes without a round trip per request; a per-process GCRA cannot be shared.
 */
export interface RateLimiter {
  take(key: KeyForRequest, nowMs: number): RateLimitDecision;
  /** Forgets keys idle since an earlier minute. */
  sweep(nowMs: number): void;
  close(): Promise<void>;
  /** Plain counters for the metrics. */
  readonly stats: RateLimitStats;
}

export interface RateLimitStats {
  /** Claim statements sent, the tokens they asked for and got, and the claims that failed. */
  claims: number;
  tokensRequested: number;
  tokensLeased: number;
  claimFailures: number;
  /** Requests refused for the limit (429), and those accepted on credit before a lease arrived. */
  refused: number;
  acceptedOnCredit: number;
  /** Keys with a window held in memory. */
  readonly keys: number;
}

interface KeyWindow {
  readonly keyId: string;
  windowMs: number;
  limit: number;
  /** Leased and usable, not yet spent. */
  tokens: number;
  /** Accepted on credit, not yet in a claim. */
  debt: number;
  /** Accepted on credit, in the claim in flight. */
  debtInFlight: number;
  /**
   * Accepted on credit while the database answers, since the last claim answered: the part of the
   * debt no claim has yet told this process to be within the limit. Requests accepted while the
   * database was away are debt, but not credit: they are charged when it returns, and never make the
   * process refuse a key under its limit meanwhile.
   */
  credit: number;
  /** Accepted by this process in this window. */
  used: number;
  /** The window's count over every process, as the last claim answered. */
  knownTotal: number;
  /** Queued for a claim or in one. */
  leasing: boolean;
  chunk: number;
}

interface SentClaim {
  readonly state: KeyWindow;
  readonly windowMs: number;
  readonly chunk: number;
}

/**
 * Requests a process may accept on credit before its lease arrives: enough for a page's burst of
 * avatars (10) or a twentieth of the limit, never more than the limit nor 1 000.
 */
export const creditOf = (limit: number): number => Math.min(limit, 1_000, Math.max(10, Math.ceil(limit / 20)));
/**
 * Leases start at the credit and double up to a tenth of the limit, at most 10 000 tokens (a claim
 * every 10 000 requests keeps the claims rare and the shared count far from integer overflow).
 */
export const maxChunkOf = (limit: number): number => Math.max(creditOf(limit), Math.min(10_000, Math.ceil(limit / 10)));

export function createRateLimiter(db: Db, logger: Logger): RateLimiter {
  const states = new Map<string, KeyWindow>();
  const queue = new Set<KeyWindow>();
  let offline = false;
  let closed = false;
  let retryAt = 0;
  let scheduled: NodeJS.Immediate | NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const logFailure = throttledLog(10_000);
  const stats = {
    claims: 0,
    tokensRequested: 0,
    tokensLeased: 0,
    claimFailures: 0,
    refused: 0,
    acceptedOnCredit: 0,
    get keys() {
      return states.size;
    },
  };

  function decision(
    allowed: boolean,
    limit: number,
    remaining: number,
    resetSeconds: number,
    retryAfterSeconds: number,
  ): RateLimitDecision {
    return { allowed, limit, remaining: Math.max(0, Math.min(limit, remaining)), resetSeconds, retryAfterSeconds };
  }

  function refuse(limit: number, resetSeconds: number, retryAfterSeconds: number): RateLimitDecision {
    stats.refused++;
    return decision(false, limit, 0, resetSeconds, retryAfterSeconds);
  }

  function enqueue(state: KeyWindow): void {
    if (state.leasing || closed) return;
    state.leasing = true;
    queue.add(state);
    schedule();
  }

  function schedule(): void {
    if (scheduled || running || closed || queue.size === 0) return;
    const wait = retryAt - Date.now();
    const fire = () => {
      scheduled = undefined;
      running = runClaims().finally(() => {
        running = undefined;
        schedule();
      });
    };
    scheduled = wait > 0 ? setTimeout(fire, wait) : setImmediate(fire);
  }

  async function runClaims(): Promise<void> {
    const sent: SentClaim[] = [];
    const claims: RateLimitClaim[] = [];
    for (const state of queue) {
      if (sent.length >= MAX_CLAIMS) break;
      queue.delete(state);
      const exhausted = state.knownTotal >= state.limit;
      const chunk = exhausted ? 0 : state.chunk;
      const tokens = state.debt + chunk;
      if (tokens === 0) {
        state.leasing = false;
        continue;
      }
      state.debtInFlight = state.debt;
      state.debt = 0;
      sent.push({ state, windowMs: state.windowMs, chunk });
      claims.push({ keyId: state.keyId, windowStart: new Date(state.windowMs), tokens });
    }
    if (claims.length === 0) return;
    stats.claims++;
    for (const claimed of claims) stats.tokensRequested += claimed.tokens;
    const claim = claimRateLimitTokens(db, claims);
    let results;
    try {
      results = await withTimeout(claim, CLAIM_TIMEOUT_MS, 'rate-limit claim');
    } catch (error) {
      stats.claimFailures++;
      offline = true;
      logFailure(() =>
        logger.warn({ err: error }, 'rate-limit claims failed: limiting each key in this process alone'),
      );
      // Not answered yet is not failed: the statement may be waiting for the database to come back.
      // Its outcome is awaited (no other claim goes out meanwhile) instead of charging its tokens twice.
      results = await settledWithin(claim, CLAIM_ABANDON_MS);
      if (!results) {
        retryAt = Date.now() + RETRY_AFTER_FAILURE_MS;
        for (const { state, windowMs } of sent) {
          // Failed, or abandoned after CLAIM_ABANDON_MS (then it may have counted; charging it again
          // only errs towards refusing).
          if (state.windowMs === windowMs) state.debt += state.debtInFlight;
          state.debtInFlight = 0;
          queue.add(state);
        }
        return;
      }
    }
    offline = false;
    retryAt = 0;
    const totals = new Map(results.map((r) => [r.keyId, r.total]));
    for (const { state, windowMs, chunk } of sent) {
      state.leasing = false;
      const total = totals.get(state.keyId);
      // A claim for a minute that has ended is moot; a missing total means the key was deleted.
      if (state.windowMs === windowMs && total !== undefined) {
        state.debtInFlight = 0;
        state.credit = 0;
        const leased = Math.max(0, Math.min(chunk, state.limit - (total - chunk)));
        stats.tokensLeased += leased;
        state.tokens += leased;
        // Requests accepted on credit while the claim was away are paid from its tokens first.
        const paid = Math.min(state.debt, state.tokens);
        state.debt -= paid;
        state.tokens -= paid;
        state.knownTotal = Math.max(state.knownTotal, total);
        state.chunk = Math.min(state.chunk * 2, maxChunkOf(state.limit));
      } else if (state.windowMs === windowMs) {
        state.debtInFlight = 0;
      }
      if (state.debt > 0) enqueue(state);
    }
  }

  return {
    take(key, nowMs) {
      const limit = key.plan.rateLimitPerMinute;
      const windowMs = nowMs - (nowMs % WINDOW_MS);
      let state = states.get(key.id);
      if (!state) {
        state = {
          keyId: key.id,
          windowMs,
          limit,
          tokens: 0,
          debt: 0,
          debtInFlight: 0,
          credit: 0,
          used: 0,
          knownTotal: 0,
          leasing: false,
          chunk: creditOf(limit),
        };
        states.set(key.id, state);
      } else if (state.windowMs !== windowMs) {
        state.windowMs = windowMs;
        state.tokens = state.debt = state.debtInFlight = state.credit = state.used = state.knownTotal = 0;
        state.chunk = creditOf(limit);
      }
      state.limit = limit;
      const resetSeconds = Math.ceil((windowMs + WINDOW_MS - nowMs) / 1000);

      if (state.tokens > 0) {
        state.tokens--;
        state.used++;
        if (state.tokens < state.chunk / 2 && state.knownTotal < limit) enqueue(state);
        const spare = state.knownTotal >= limit ? 0 : limit - state.knownTotal - state.debt - state.debtInFlight;
        return decision(true, limit, state.tokens + Math.max(0, spare), resetSeconds, 0);
      }
      if (offline) {
        enqueue(state);
        if (state.used >= limit) return refuse(limit, resetSeconds, resetSeconds);
        stats.acceptedOnCredit++;
        state.used++;
        state.debt++;
        return decision(true, limit, limit - state.used, resetSeconds, 0);
      }
      if (state.knownTotal >= limit) return refuse(limit, resetSeconds, resetSeconds);
      enqueue(state);
      const unclaimed = state.debt + state.debtInFlight;
      if (state.knownTotal + unclaimed >= limit) return refuse(limit, resetSeconds, resetSeconds);
      if (state.credit >= creditOf(limit)) {
        // Budget is left in the minute but this process's lease has not arrived yet.
        return refuse(limit, resetSeconds, 1);
      }
      stats.acceptedOnCredit++;
      state.debt++;
      state.credit++;
      state.used++;
      return decision(true, limit, limit - state.knownTotal - unclaimed - 1, resetSeconds, 0);
    },
    sweep(nowMs) {
      const windowMs = nowMs - (nowMs % WINDOW_MS);
      for (const [id, state] of states) {
        if (state.windowMs < windowMs && !state.leasing) states.delete(id);
      }
    },
    stats,
    async close() {
      closed = true;
      if (scheduled) {
        clearTimeout(scheduled as NodeJS.Timeout);
        clearImmediate(scheduled as NodeJS.Immediate);
        scheduled = undefined;
      }
      await running;
    },
  };
}

/** The promise's value once it settles within `ms`; undefined when it fails or takes longer. */
function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return withTimeout(promise, ms, 'rate-limit claim').catch(() => undefined);
}
