import { sniffImageType, type SourceImageType } from '../images/sniff-image-type.ts';
import type { SafeFetch } from './safe-fetch.ts';
import { isUpstreamError } from './upstream-error.ts';

export type PhotoDownload =
  | { readonly kind: 'image'; readonly bytes: Uint8Array; readonly type: SourceImageType; readonly url: string }
  /** The photo could not be had now, or what came back is not an image we accept. */
  | { readonly kind: 'failed'; readonly reason: string };

const ACCEPT_IMAGES = 'image/avif,image/webp,image/jpeg,image/png,image/gif;q=0.9,*/*;q=0.1';

/**
 * Downloads a source photo: redirects only within the allowed photo hosts, the safe-fetch limits,
 * and a type sniffed from the bytes (JPEG, PNG, WEBP, GIF, AVIF; SVG and HTML refused).
 */
export async function downloadPhoto(
  fetch: SafeFetch,
  url: string,
  options: { readonly imageHosts: readonly string[]; readonly signal?: AbortSignal },
): Promise<PhotoDownload> {
  const allowed = new Set(options.imageHosts.map((h) => h.toLowerCase()));
  let response;
  try {
    response = await fetch.get(url, {
      headers: { accept: ACCEPT_IMAGES },
      followRedirect: (location) => allowed.has(location.hostname.toLowerCase()),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (isUpstreamError(error)) return { kind: 'failed', reason: `photo_${error.reason}` };
    throw error;
  }
  if (response.location) return { kind: 'failed', reason: 'photo_redirect_refused' };
  if (response.status !== 200) return { kind: 'failed', reason: `photo_status_${response.status}` };
  const type = sniffImageType(response.body);
  if (!type) return { kind: 'failed', reason: 'photo_unsupported_type' };
  return { kind: 'image', bytes: response.body, type, url: response.url.href };
}
