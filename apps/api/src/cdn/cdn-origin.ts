import { STATUS_CODES } from 'node:http';
import { LRUCache } from 'lru-cache';
import { FastResponse } from 'srvx';
import type { ImageStorage, StoredObject } from '@avtrz/shared/storage/image-storage';
import { STORAGE_KEY_PATTERN } from '@avtrz/shared/storage/image-storage';
import { ifNoneMatchMatches } from '../http/if-none-match.ts';

/** Content-addressed objects never change: cache them for a year everywhere. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface CdnOrigin {
  /** The answer for a storage key taken from the URL; undefined when there is no such image. */
  answer(storageKey: string, ifNoneMatch: string | null, head: boolean): Promise<Response | undefined>;
}

/**
 * The origin behind PUBLIC_CDN_URL: stored images by key, with a strong ETag (the hash in the key is
 * the hash of the bytes) and 304s. Recently served images are kept in memory, bounded by bytes.
 */
export function createCdnOrigin(storage: ImageStorage, options: { maxBytes: number }): CdnOrigin {
  const recent = new LRUCache<string, StoredObject>({
    maxSize: options.maxBytes,
    sizeCalculation: (object) => object.body.byteLength + 200,
    // One image larger than a tenth of the budget is served but not kept.
    maxEntrySize: Math.max(1, Math.floor(options.maxBytes / 10)),
  });
  const reading = new Map<string, Promise<StoredObject | undefined>>();
  const read = (key: string): Promise<StoredObject | undefined> => {
    let pending = reading.get(key);
    if (!pending) {
      pending = storage.get(key).then((object) => {
        if (object) recent.set(key, object);
        return object;
      });
      pending.finally(() => reading.delete(key)).catch(() => {});
      reading.set(key, pending);
    }
    return pending;
  };
  return {
    async answer(storageKey, ifNoneMatch, head) {
      if (!STORAGE_KEY_PATTERN.test(storageKey)) return undefined;
      const etag = `"${storageKey.slice(0, storageKey.indexOf('.'))}"`;
      const object = recent.get(storageKey) ?? (await read(storageKey));
      if (!object) return undefined;
      const headers: [string, string][] = [
        ['etag', etag],
        ['cache-control', IMMUTABLE],
        ['access-control-allow-origin', '*'],
        ['x-content-type-options', 'nosniff'],
      ];
      if (ifNoneMatchMatches(ifNoneMatch, etag)) {
        return new FastResponse(null, { status: 304, statusText: STATUS_CODES[304] ?? '', headers });
      }
      headers.push(['content-type', object.contentType], ['content-length', String(object.body.byteLength)]);
      return new FastResponse(head ? null : object.body, { status: 200, statusText: STATUS_CODES[200] ?? '', headers });
    },
  };
}
