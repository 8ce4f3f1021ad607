import { LRUCache } from 'lru-cache';
import { AVATAR_SIZES } from '@avtrz/shared/avatar-sizes';
import { renderFallbackSvg, renderSilhouetteSvg } from '@avtrz/shared/fallback-svg';
import { isImageCaller } from '../http/image-caller.ts';
import type { HeaderReader } from '../http/incoming-request.ts';
import { avatarRequestHeaders } from './avatar-definition.ts';

export interface FallbackBodies {
  /**
   * The fallback SVG for a profile (or the silhouette when no valid profile was named). A string, not
   * bytes: Node then sends headers and body in one write instead of two.
   */
  get(handle: string | undefined, size: number): string;
}

/** Rendered fallbacks by (handle, size), bounded by bytes: hot pages ask for the same few again and again. */
export function createFallbackBodies(options: { maxBytes: number }): FallbackBodies {
  const rendered = new LRUCache<string, string>({
    maxSize: options.maxBytes,
    sizeCalculation: (body, key) => (body.length + key.length) * 2 + 64,
  });
  const silhouettes = new Map<number, string>(AVATAR_SIZES.map((size) => [size, renderSilhouetteSvg(size)]));
  return {
    get(handle, size) {
      if (handle === undefined) return silhouettes.get(size) ?? renderSilhouetteSvg(size);
      const id = `${size}:${handle}`;
      let body = rendered.get(id);
      if (body === undefined) {
        body = renderFallbackSvg(handle, size);
        rendered.set(id, body);
      }
      return body;
    },
  };
}

/** The SVG an error is answered with when an image element asked (CONTRACT §1); undefined for JSON callers. */
export function errorSvgFor(
  fallbacks: FallbackBodies,
  headers: HeaderReader,
  handle: string | undefined,
  size: number,
): string | undefined {
  const imageCaller = isImageCaller(
    headers.get(avatarRequestHeaders.secFetchDest.name),
    headers.get(avatarRequestHeaders.accept.name),
  );
  return imageCaller ? fallbacks.get(handle, size) : undefined;
}
