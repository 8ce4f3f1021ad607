import type { ServableProfile } from '@avtrz/db/queries/profiles.queries';
import type { ProfileStatus } from '@avtrz/db/schema';

/** One stored rendition, as the 302 names it. */
export interface PhotoVariant {
  /** `<PUBLIC_CDN_URL>/<storage key>`: content-addressed, never built from request input. */
  readonly location: string;
  /** Strong, quoted: the content hash of the rendition (the CDN origin sends the same one). */
  readonly etag: string;
}

/** What /v1/avatar needs to know about a profile, kept small because many are held in memory. */
export interface ProfileAnswer {
  /** `unknown`: no row yet (the resolution could not even be enqueued). */
  readonly status: ProfileStatus | 'unknown';
  /** Renditions by size; only for a resolved profile. */
  readonly photos: ReadonlyMap<number, PhotoVariant> | undefined;
}

export const UNKNOWN_PROFILE: ProfileAnswer = Object.freeze({ status: 'unknown', photos: undefined });

export function toProfileAnswer(profile: ServableProfile | undefined, publicCdnUrl: string): ProfileAnswer {
  if (!profile) return UNKNOWN_PROFILE;
  if (profile.status !== 'resolved' || profile.variants.size === 0)
    return { status: profile.status, photos: undefined };
  const photos = new Map<number, PhotoVariant>();
  for (const [size, variant] of profile.variants) {
    photos.set(size, { location: `${publicCdnUrl}/${variant.storageKey}`, etag: `"${variant.contentHash}"` });
  }
  return { status: 'resolved', photos };
}
