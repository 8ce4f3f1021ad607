import { LRUCache } from 'lru-cache';

/**
 * A bounded in-memory map in front of the database: what this process has seen is answered with no
 * round trip; a missing or stale entry is loaded once however many requests ask at the same time.
 * Notifications delete entries (and disown loads in flight, whose answer may predate the change);
 * the TTL is only the backstop for a missed notification. When the database cannot answer, a stale
 * entry keeps being served (CONTRACT §6).
 */
export interface LoadingCache<V> {
  /** The value when it is in memory and fresh: no I/O, no promise. */
  peek(key: string): V | undefined;
  /** The value, from memory or loaded. Rejects only when it cannot be loaded and was never known. */
  get(key: string): Promise<V>;
  delete(key: string): void;
  deleteWhere(predicate: (value: V) => boolean): void;
  /** Marks every entry stale: reloaded on next use, still served while the database is away. */
  expireAll(): void;
  readonly size: number;
  /** Plain counters for the metrics. */
  readonly stats: CacheStats;
}

export interface CacheStats {
  /** Answers from memory (peek or get). */
  hits: number;
  /** Gets that had to load or join a load in flight. */
  misses: number;
  /** Loads that failed (a stale value may still have been served). */
  loadFailures: number;
}

export interface LoadingCacheOptions<V> {
  /** Most entries kept; the least recently used go first. */
  readonly max: number;
  /** How long a loaded value is served before it is loaded again. */
  readonly ttlMs: (value: V) => number;
  readonly load: (key: string) => Promise<V>;
  /** After a failed load, a stale value is served this long before the next attempt. Default 1000 ms. */
  readonly retryAfterFailureMs?: number;
  readonly now?: () => number;
}

interface Entry<V> {
  readonly value: V;
  freshUntil: number;
  generation: number;
}

interface Flight<V> {
  readonly promise: Promise<V>;
  disowned: boolean;
}

export function createLoadingCache<V extends {}>(options: LoadingCacheOptions<V>): LoadingCache<V> {
  const lru = new LRUCache<string, Entry<V>>({ max: options.max });
  const inFlight = new Map<string, Flight<V>>();
  const now = options.now ?? Date.now;
  const retryAfterFailureMs = options.retryAfterFailureMs ?? 1000;
  let generation = 0;
  const stats: CacheStats = { hits: 0, misses: 0, loadFailures: 0 };

  const disown = (key: string) => {
    const flight = inFlight.get(key);
    if (flight) {
      flight.disowned = true;
      inFlight.delete(key);
    }
  };

  const disownAll = () => {
    for (const flight of inFlight.values()) flight.disowned = true;
    inFlight.clear();
  };

  const load = (key: string): Promise<V> => {
    const running = inFlight.get(key);
    if (running) return running.promise;
    const startedIn = generation;
    const flight: Flight<V> = { promise: undefined as unknown as Promise<V>, disowned: false };
    // Filled in before anything can await it: the async body below only runs to its first await.
    (flight as { promise: Promise<V> }).promise = (async () => {
      try {
        const value = await options.load(key);
        if (!flight.disowned && startedIn === generation) {
          lru.set(key, { value, freshUntil: now() + options.ttlMs(value), generation });
        }
        return value;
      } catch (error) {
        stats.loadFailures++;
        const stale = lru.get(key);
        if (!stale) throw error;
        stale.freshUntil = now() + retryAfterFailureMs;
        stale.generation = generation;
        return stale.value;
      } finally {
        if (inFlight.get(key) === flight) inFlight.delete(key);
      }
    })();
    inFlight.set(key, flight);
    return flight.promise;
  };

  const fresh = (key: string): V | undefined => {
    const entry = lru.get(key);
    if (entry === undefined || entry.generation !== generation || entry.freshUntil <= now()) return undefined;
    return entry.value;
  };

  return {
    // A miss of peek is not counted: the caller then gets, which counts it once.
    peek(key) {
      const value = fresh(key);
      if (value !== undefined) stats.hits++;
      return value;
    },
    get(key) {
      const value = fresh(key);
      if (value === undefined) {
        stats.misses++;
        return load(key);
      }
      stats.hits++;
      return Promise.resolve(value);
    },
    delete(key) {
      disown(key);
      lru.delete(key);
    },
    deleteWhere(predicate) {
      const doomed: string[] = [];
      for (const [key, entry] of lru.entries()) if (predicate(entry.value)) doomed.push(key);
      for (const key of doomed) lru.delete(key);
      // A load in flight may bring back what was just dropped: disown them all (rare, cheap).
      disownAll();
    },
    expireAll() {
      generation++;
      disownAll();
    },
    get size() {
      return lru.size;
    },
    stats,
  };
}
