import { LRUCache } from 'lru-cache';
import { AVATAR_SIZES } from '@avtrz/shared/avatar-sizes';
import { renderFallbackSvg, renderSilhouetteSvg } from '@avtrz/shared/fallback-svg';

export interface FallbackBodies {
  /** The fallback SVG's bytes for a profile (or the silhouette when no valid profile was named). */
  get(handle: string | undefined, size: number): Uint8Array;
}

/** Rendered fallbacks by (handle, size), bounded by bytes: hot pages ask for the same few again and again. */
export function createFallbackBodies(options: { maxBytes: number }): FallbackBodies {
  const rendered = new LRUCache<string, Uint8Array>({
    maxSize: options.maxBytes,
    sizeCalculation: (body, key) => body.byteLength + key.length * 2 + 64,
  });
  const silhouettes = new Map<number, Uint8Array>(AVATAR_SIZES.map((size) => [size, Buffer.from(renderSilhouetteSvg(size))]));
  return {
    get(handle, size) {
      if (handle === undefined) return silhouettes.get(size) ?? Buffer.from(renderSilhouetteSvg(size));
      const id = `${size}:${handle}`;
      let body = rendered.get(id);
      if (body === undefined) {
        body = Buffer.from(renderFallbackSvg(handle, size));
        rendered.set(id, body);
      }
      return body;
    },
  };
}
