import type { Db } from '@avtrz/db/client';
import { getServableProfile, requestProfileResolution, type ServableProfile } from '@avtrz/db/queries/profiles.queries';
import { DomainError } from '@avtrz/shared/errors';
import { parseUsername } from '@avtrz/shared/linkedin-handle';

/** Profiles are shared by every workspace: any authenticated caller may look one up or ask for a refresh. */

export const IMAGE_SIZES: readonly number[] = [32, 64, 128, 256, 512];

/** The profile as the API would serve it; undefined when nobody has asked for it yet. */
export async function findProfile(db: Db, username: string): Promise<ServableProfile | undefined> {
  return getServableProfile(db, parseUsername(username));
}

/** Queues a resolution now (shared with any already queued) and returns the profile as it stands. */
export async function refreshProfile(db: Db, username: string): Promise<ServableProfile> {
  const handle = parseUsername(username);
  await db.transaction().execute((trx) => requestProfileResolution(trx, handle, { reason: 'manual' }));
  const profile = await getServableProfile(db, handle);
  if (!profile) throw new Error(`profile ${handle} missing right after it was requested`);
  return profile;
}

/** The CDN URL of the photo at `size`; null while the profile has none. */
export function profileImageUrl(publicCdnUrl: string, profile: ServableProfile, size: number): string | null {
  if (!IMAGE_SIZES.includes(size)) throw new DomainError('invalid_size');
  const variant = profile.status === 'resolved' ? profile.variants.get(size) : undefined;
  return variant ? `${publicCdnUrl}/${variant.storageKey}` : null;
}
