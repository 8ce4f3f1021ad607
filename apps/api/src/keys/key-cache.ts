import type { Db } from '@avtrz/db/client';
import { findKeyForRequestByHash, type KeyForRequest } from '@avtrz/db/queries/key-lookup.queries';
import { type ApiKeyKind, hashApiKeyBase64 } from '@avtrz/shared/api-key';
import { type CacheStats, createLoadingCache } from '../cache/loading-cache.ts';
import { ResettingMap } from '../cache/resetting-map.ts';

/** A key hash that names no key: remembered briefly, so well-formed garbage cannot hammer the database. */
const UNKNOWN = Object.freeze({ unknown: true as const });
type Cached = KeyForRequest | typeof UNKNOWN;

const UNKNOWN_TTL_MS = 5_000;

export interface KeyCache {
  /** The key in memory: the key, null when known not to exist, undefined when it must be looked up. */
  peek(hash: string): KeyForRequest | null | undefined;
  find(hash: string): Promise<KeyForRequest | null>;
  /** A key was created, changed or revoked (channels.apiKeys). */
  dropKey(keyId: string): void;
  /** A workspace's plan changed (channels.workspaces). */
  dropWorkspace(workspaceId: string): void;
  expireAll(): void;
  /** Hits and misses (metrics), and entries held. */
  readonly stats: CacheStats;
  readonly size: number;
}

/** The cache's name for a full key: the base64 of its SHA-256 (the key itself is never kept). */
export function keyCacheId(key: string): string {
  return hashApiKeyBase64(key);
}

/** Publishable keys whose cache name is remembered (a few MB at most). */
const MAX_REMEMBERED_PUBLISHABLE = 10_000;

/**
 * The cache's names for keys as sent, remembered for publishable keys only. Those are public by
 * design (they sit in pages' markup, locked to domains), so holding them in memory gives nothing
 * away, and the `<img>` traffic, which sends them, is not hashed on every request. A secret key is
 * hashed each time and never held: a heap dump of the API shows no secret key.
 */
export function createKeyCacheIds(max = MAX_REMEMBERED_PUBLISHABLE): (key: string, kind: ApiKeyKind) => string {
  const publishable = new ResettingMap<string, string>(max);
  return (key, kind) => {
    if (kind === 'secret') return keyCacheId(key);
    let id = publishable.get(key);
    if (id === undefined) {
      id = keyCacheId(key);
      publishable.set(key, id);
    }
    return id;
  };
}

/** API keys by hash, joined with their workspace's plan. */
export function createKeyCache(db: Db, options: { max: number; ttlMs: number }): KeyCache {
  const cache = createLoadingCache<Cached>({
    max: options.max,
    ttlMs: (value) => (value === UNKNOWN ? Math.min(UNKNOWN_TTL_MS, options.ttlMs) : options.ttlMs),
    load: async (hash) => (await findKeyForRequestByHash(db, Buffer.from(hash, 'base64'))) ?? UNKNOWN,
  });
  const known = (value: Cached): KeyForRequest | null => (value === UNKNOWN ? null : (value as KeyForRequest));
  return {
    peek(hash) {
      const value = cache.peek(hash);
      return value === undefined ? undefined : known(value);
    },
    async find(hash) {
      return known(await cache.get(hash));
    },
    dropKey(keyId) {
      // A new key's id is unknown to the cache, so unknown hashes go too: one may be that key.
      cache.deleteWhere((value) => value === UNKNOWN || (value as KeyForRequest).id === keyId);
    },
    dropWorkspace(workspaceId) {
      cache.deleteWhere((value) => value !== UNKNOWN && (value as KeyForRequest).workspaceId === workspaceId);
    },
    expireAll: () => cache.expireAll(),
    stats: cache.stats,
    get size() {
      return cache.size;
    },
  };
}
