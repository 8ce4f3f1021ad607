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
   * enqueued and is waited for up to `waitMs`, woken by the profile notification.
   */
  find(handle: string): Promise<ProfileAnswer>;
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

  const load = async (handle: string): Promise<ProfileAnswer> => {
    const deadline = now() + options.waitMs;
    // Registered before anything is read or enqueued, so no change can slip between the two.
    const waiter = waiters.register(handle);
    try {
      let profile = await getServableProfile(db, handle);
      if (profile && profile.status !== 'pending') return toProfileAnswer(profile, options.publicCdnUrl);
      // Never seen, or pending: (re)enqueue. The job key makes every caller share one job.
      await requestProfileResolution(db, handle);
      while (await waiter.next(deadline)) {
        profile = await getServableProfile(db, handle);
        if (profile && profile.status !== 'pending') break;
      }
      return toProfileAnswer(profile, options.publicCdnUrl);
    } finally {
      waiter.dispose();
    }
  };

  const cache = createLoadingCache<ProfileAnswer>({ max: options.max, ttlMs: () => options.ttlMs, load, now });
  return {
    peek: (handle) => cache.peek(handle),
    find: (handle) => cache.get(handle),
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
