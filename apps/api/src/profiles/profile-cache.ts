import type { Db } from '@avtrz/db/client';
import { getServableProfile, requestProfileResolution } from '@avtrz/db/queries/profiles.queries';
import { type CacheStats, createLoadingCache } from '../cache/loading-cache.ts';
import { type ProfileAnswer, toProfileAnswer } from './profile-answer.ts';
import { createProfileWaiters } from './profile-waiters.ts';

export interface ProfileCache {
  /** The profile in memory when fresh: no I/O. */
  peek(handle: string): ProfileAnswer | undefined;
  /**
   * The profile, loaded when needed. A profile never seen (or still pending) has its resolution
   * enqueued and is waited for up to `waitMs` (default: the configured wait), woken by the profile
   * notification.
   */
  find(handle: string, waitMs?: number): Promise<ProfileAnswer>;
  /** The profile changed (channels.profiles): drop it and wake whoever waits for it. */
  changed(handle: string): void;
  expireAll(): void;
  /** Hits and misses (metrics), and entries held. */
  readonly stats: CacheStats;
  readonly size: number;
  close(): void;
}

export interface ProfileCacheOptions {
  readonly max: number;
  readonly ttlMs: number;
  readonly waitMs: number;
  readonly publicCdnUrl: string;
  readonly now?: () => number;
}

/**
 * Profiles by canonical handle. A profile without a photo (no_photo, failed) is answered from memory
 * like any other: it is not looked up again on every request (the worker re-checks it and notifies).
 */
export function createProfileCache(db: Db, options: ProfileCacheOptions): ProfileCache {
  const now = options.now ?? Date.now;
  const waiters = createProfileWaiters(now);

  // Loads read the row and (re)enqueue a resolution when there is none yet or it is pending; the
  // waiting is the caller's, so that callers with different waits share one load.
  const load = async (handle: string): Promise<ProfileAnswer> => {
    const profile = await getServableProfile(db, handle);
    if (profile && profile.status !== 'pending') return toProfileAnswer(profile, options.publicCdnUrl);
    // Never seen, or pending: (re)enqueue. The job key makes every caller share one job.
    await requestProfileResolution(db, handle);
    return toProfileAnswer(profile, options.publicCdnUrl);
  };
  const cache = createLoadingCache<ProfileAnswer>({ max: options.max, ttlMs: () => options.ttlMs, load, now });

  // Handles someone is waiting for: a request arriving meanwhile waits too, rather than take the
  // pending answer from memory (only after a wait ran out is "still pending" served at once).
  const waiting = new Map<string, number>();
  const find = async (handle: string, waitMs = options.waitMs): Promise<ProfileAnswer> => {
    const deadline = now() + waitMs;
    // Registered before anything is read or enqueued, so no change can slip between the two.
    const waiter = waiters.register(handle);
    waiting.set(handle, (waiting.get(handle) ?? 0) + 1);
    try {
      let answer = await cache.get(handle);
      // The notification drops the entry, so the next get reads the row again.
      while (isUnsettled(answer) && (await waiter.next(deadline))) answer = await cache.get(handle);
      return answer;
    } finally {
      const left = (waiting.get(handle) ?? 1) - 1;
      if (left === 0) waiting.delete(handle);
      else waiting.set(handle, left);
      waiter.dispose();
    }
  };

  return {
    peek: (handle) => (waiting.has(handle) ? undefined : cache.peek(handle)),
    find,
    changed(handle) {
      cache.delete(handle);
      waiters.notify(handle);
    },
    expireAll: () => cache.expireAll(),
    stats: cache.stats,
    get size() {
      return cache.size;
    },
    close: () => waiters.close(),
  };
}

/** Still to be resolved: worth waiting for. */
function isUnsettled(answer: ProfileAnswer): boolean {
  return answer.status === 'pending' || answer.status === 'unknown';
}
