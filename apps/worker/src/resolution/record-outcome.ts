import { channels, notify } from '@avtrz/db/notify';
import { markImageUnreferencedIfUnused } from '@avtrz/db/queries/images.queries';
import { lockProfileForResolution, markProfileNoPhoto, recordProfileFailure } from '@avtrz/db/queries/profiles.queries';
import { retryDelayMs } from './back-off.ts';
import type { ResolutionContext } from './resolution-context.ts';

/** No photo (404, no og:image, a photo on another host): look again after the no-photo interval. */
export async function recordNoPhoto(ctx: ResolutionContext, handle: string, reason: string): Promise<void> {
  const now = new Date();
  await ctx.db.transaction().execute(async (trx) => {
    const profile = await lockProfileForResolution(trx, handle);
    await markProfileNoPhoto(trx, handle, {
      reason,
      now,
      nextRefreshAt: new Date(now.getTime() + ctx.policy.noPhotoRecheckMs),
    });
    // The photo was removed: its image starts its grace period before the clean-up.
    if (profile.imageHash) await markImageUnreferencedIfUnused(trx, profile.imageHash, now);
    await notify(trx, channels.profiles, handle);
  });
}

/** Not now (anti-bot answer, outage, hostile answer): try again with exponential back-off. */
export async function recordFailure(ctx: ResolutionContext, handle: string, error: string): Promise<void> {
  const now = new Date();
  await ctx.db.transaction().execute(async (trx) => {
    const profile = await lockProfileForResolution(trx, handle);
    const failureCount = profile.failureCount + 1;
    const delay = retryDelayMs(failureCount, { baseMs: ctx.policy.retryBaseMs, capMs: ctx.policy.retryCapMs });
    await recordProfileFailure(trx, handle, {
      error,
      now,
      nextRefreshAt: new Date(now.getTime() + delay),
      failureCount,
    });
    await notify(trx, channels.profiles, handle);
  });
}
