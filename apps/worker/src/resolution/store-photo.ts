import { channels, notify } from '@avtrz/db/notify';
import {
  isImageComplete,
  lockImageStoreShared,
  markImageReferenced,
  markImageUnreferencedIfUnused,
  upsertImage,
} from '@avtrz/db/queries/images.queries';
import { lockProfileForResolution, markProfileResolved } from '@avtrz/db/queries/profiles.queries';
import type { RenderedImage } from '@avtrz/shared/images/render-variants';
import type { ResolutionContext } from './resolution-context.ts';

export type StoreResult = 'stored' | 'needs_render';

/**
 * Points a profile at a photo, in one transaction: objects are written (content-addressed, so
 * writing again is harmless) before the rows that reference them, and the profile, the image and
 * the notification commit together. Killed at any point, a rerun reaches the same state.
 * Without `rendered`, the photo must already be stored; 'needs_render' says it is not (any more).
 */
export async function storePhoto(
  ctx: ResolutionContext,
  handle: string,
  photo: { hash: string; url: string },
  rendered: RenderedImage | undefined,
): Promise<StoreResult> {
  const now = new Date();
  return ctx.db.transaction().execute(async (trx) => {
    // Shared with other storers, exclusive with the clean-up: nothing is deleted while we write.
    await lockImageStoreShared(trx);
    const profile = await lockProfileForResolution(trx, handle);
    if (await isImageComplete(trx, photo.hash)) {
      await markImageReferenced(trx, photo.hash);
    } else {
      if (!rendered) return 'needs_render';
      await Promise.all(rendered.variants.map((v) => ctx.storage.put(v.storageKey, v.bytes, v.contentType)));
      await upsertImage(trx, {
        hash: photo.hash,
        sourceUrl: photo.url,
        sourceWidth: rendered.sourceWidth,
        sourceHeight: rendered.sourceHeight,
        format: rendered.format,
        variants: rendered.variants.map((v) => ({
          size: v.size,
          contentHash: v.contentHash,
          storageKey: v.storageKey,
          contentType: v.contentType,
          byteSize: v.bytes.byteLength,
        })),
      });
    }
    await markProfileResolved(trx, handle, {
      imageHash: photo.hash,
      now,
      nextRefreshAt: new Date(now.getTime() + ctx.policy.refreshIntervalMs),
    });
    if (profile.imageHash && profile.imageHash !== photo.hash) {
      await markImageUnreferencedIfUnused(trx, profile.imageHash, now);
    }
    await notify(trx, channels.profiles, handle);
    return 'stored';
  });
}
