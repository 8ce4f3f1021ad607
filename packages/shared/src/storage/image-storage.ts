/**
 * Where rendered images live. Keys are content-addressed (`<sha256>.<ext>`), so an object is written
 * once and never changes; the CDN origin reads them back by key.
 */
export interface StoredObject {
  readonly body: Uint8Array;
  readonly contentType: string;
}

export interface ImageStorage {
  /** Writes an object; writing the same key again is a harmless no-op (same bytes). */
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
  /** The object, or undefined when there is none. */
  get(key: string): Promise<StoredObject | undefined>;
  delete(key: string): Promise<void>;
}

/** Storage keys are produced by us, but the CDN origin takes them from URLs: allow only our shape. */
export const STORAGE_KEY_PATTERN = /^[0-9a-f]{64}\.(webp|png)$/;

export function contentTypeForKey(key: string): string {
  return key.endsWith('.png') ? 'image/png' : 'image/webp';
}
