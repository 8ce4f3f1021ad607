import type { ServableProfile } from '@avtrz/db/queries/profiles.queries';
import { IMAGE_SIZES, profileImageUrl } from './profiles.service.ts';

/** A profile as JSON for the console: the photo's URL at every size (null while there is none). */
export function profileView(publicCdnUrl: string, profile: ServableProfile) {
  return {
    username: profile.handle,
    status: profile.status,
    imageUrls: Object.fromEntries(
      IMAGE_SIZES.map((size) => [String(size), profileImageUrl(publicCdnUrl, profile, size)]),
    ),
    resolvedAt: profile.resolvedAt?.toISOString() ?? null,
    checkedAt: profile.checkedAt?.toISOString() ?? null,
  };
}
