import { isImageComplete } from '@avtrz/db/queries/images.queries';
import {
  ImageRejectedError,
  renderVariants,
  sha256Hex,
  type RenderedImage,
} from '@avtrz/shared/images/render-variants';
import { downloadPhoto } from '@avtrz/shared/upstream/photo-download';
import { recordFailure, recordNoPhoto } from './record-outcome.ts';
import type { ResolutionContext } from './resolution-context.ts';
import { storePhoto } from './store-photo.ts';

export type ResolutionOutcome =
  | { readonly status: 'resolved'; readonly imageHash: string }
  | { readonly status: 'no_photo'; readonly reason: string }
  | { readonly status: 'failed'; readonly reason: string };

/**
 * One handle, from its source to stored renditions and an updated profile row. Upstream trouble
 * is an outcome, not an exception: it is recorded on the profile with its retry time. Exceptions
 * mean our own dependencies failed (database, storage) and the job is retried.
 */
export async function resolveProfile(
  ctx: ResolutionContext,
  handle: string,
  signal?: AbortSignal,
): Promise<ResolutionOutcome> {
  const lookup = await ctx.source.lookup(handle, signal);
  throwIfStopping(signal);
  if (lookup.kind === 'no_photo') {
    await recordNoPhoto(ctx, handle, lookup.reason);
    return { status: 'no_photo', reason: lookup.reason };
  }
  if (lookup.kind === 'retry_later') return fail(ctx, handle, lookup.reason);

  const photo = await downloadPhoto(ctx.fetch, lookup.url, {
    imageHosts: ctx.policy.imageHosts,
    ...(signal ? { signal } : {}),
  });
  throwIfStopping(signal);
  if (photo.kind === 'failed') return fail(ctx, handle, photo.reason);
  const hash = sha256Hex(photo.bytes);

  // A photo seen before (an unchanged photo on refresh, or one shared by profiles) needs no rendering.
  let rendered: RenderedImage | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    if (!rendered && (attempt > 0 || !(await isImageComplete(ctx.db, hash)))) {
      try {
        rendered = await renderVariants(photo.bytes, { maxPixels: ctx.policy.maxPixels });
      } catch (error) {
        if (error instanceof ImageRejectedError) return fail(ctx, handle, `image_${error.reason}`);
        throw error;
      }
    }
    const stored = await storePhoto(ctx, handle, { hash, url: photo.url }, rendered);
    if (stored === 'stored') return { status: 'resolved', imageHash: hash };
  }
  throw new Error(`could not store the photo of ${handle}`);
}

async function fail(ctx: ResolutionContext, handle: string, reason: string): Promise<ResolutionOutcome> {
  await recordFailure(ctx, handle, reason);
  return { status: 'failed', reason };
}

/** A fetch cut short because the worker is stopping says nothing about the profile: let the job run again. */
function throwIfStopping(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new Error('the worker is stopping; the job will run again');
}
