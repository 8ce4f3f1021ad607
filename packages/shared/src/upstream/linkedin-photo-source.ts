import type { ProfilePhotoSource, PhotoLookup } from './profile-photo-source.ts';
import { readOgImage } from './og-image.ts';
import type { SafeFetch } from './safe-fetch.ts';
import { isUpstreamError } from './upstream-error.ts';

export interface LinkedinSourceOptions {
  /** LINKEDIN_BASE_URL, without a trailing slash. */
  readonly baseUrl: string;
  /** UPSTREAM_IMAGE_HOSTS: a photo elsewhere (LinkedIn's placeholder art, say) counts as none. */
  readonly imageHosts: readonly string[];
  readonly fetch: SafeFetch;
}

// What a logged-out desktop browser sends; LinkedIn serves public profiles to it.
const BROWSER_HEADERS = {
  'user-agent':
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
  'accept-language': 'en-US,en;q=0.9',
};

// Where LinkedIn sends visitors it will not show a profile to: a reason to come back later.
const AUTH_WALL = /^\/(authwall|login|uas\/login|checkpoint|signup|m\/login|uas\/authenticate)(\/|$|\?)/i;

/** LinkedIn's public profile pages (CONTRACT §5): the photo is the page's og:image. */
export function createLinkedinPhotoSource(options: LinkedinSourceOptions): ProfilePhotoSource {
  const allowedHosts = new Set(options.imageHosts.map((h) => h.toLowerCase()));
  return {
    name: 'linkedin',
    async lookup(handle, signal): Promise<PhotoLookup> {
      const pageUrl = `${options.baseUrl}/in/${encodeURIComponent(handle)}/`;
      let page;
      try {
        page = await options.fetch.get(pageUrl, {
          headers: BROWSER_HEADERS,
          followRedirect: (location) => !AUTH_WALL.test(location.pathname),
          ...(signal ? { signal } : {}),
        });
      } catch (error) {
        if (isUpstreamError(error)) return { kind: 'retry_later', reason: `page_${error.reason}` };
        throw error;
      }
      if (page.location) return { kind: 'retry_later', reason: 'auth_wall' };
      if (page.status === 404 || page.status === 410) return { kind: 'no_photo', reason: 'not_found' };
      // 999 and 429 are LinkedIn's anti-bot answers; anything else unexpected is also "not now".
      if (page.status !== 200) return { kind: 'retry_later', reason: `page_status_${page.status}` };
      const content = readOgImage(new TextDecoder().decode(page.body));
      if (!content) return { kind: 'no_photo', reason: 'no_og_image' };
      let photo: URL;
      try {
        photo = new URL(content, page.url);
      } catch {
        return { kind: 'no_photo', reason: 'no_og_image' };
      }
      if (
        (photo.protocol !== 'https:' && photo.protocol !== 'http:') ||
        !allowedHosts.has(photo.hostname.toLowerCase())
      ) {
        return { kind: 'no_photo', reason: 'host_not_allowed' };
      }
      return { kind: 'photo', url: photo.href };
    },
  };
}
