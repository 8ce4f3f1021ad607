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

/**
 * One answer per status without photos, shared by every profile in that state: most profiles a busy
 * process holds may be such, and each would otherwise keep an object and its own copy of the status
 * text read from its row.
 */
const WITHOUT_PHOTOS: Readonly<Record<ProfileStatus, ProfileAnswer>> = {
  pending: Object.freeze({ status: 'pending', photos: undefined }),
  resolved: Object.freeze({ status: 'resolved', photos: undefined }),
  no_photo: Object.freeze({ status: 'no_photo', photos: undefined }),
  failed: Object.freeze({ status: 'failed', photos: undefined }),
};

export function toProfileAnswer(profile: ServableProfile | undefined, publicCdnUrl: string): ProfileAnswer {
  if (!profile) return UNKNOWN_PROFILE;
  if (profile.status !== 'resolved' || profile.variants.size === 0) return WITHOUT_PHOTOS[profile.status];
  const photos = new Map<number, PhotoVariant>();
  for (const [size, variant] of profile.variants) {
    photos.set(size, { location: `${publicCdnUrl}/${variant.storageKey}`, etag: `"${variant.contentHash}"` });
  }
  return { status: 'resolved', photos };
}
