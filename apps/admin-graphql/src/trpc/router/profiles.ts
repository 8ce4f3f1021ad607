import { z } from 'zod';
import { findProfile, refreshProfile } from '../../services/profiles.service.ts';
import { profileView } from '../../services/profile-view.ts';
import { router, workspaceProcedure } from '../trpc.ts';

// Profiles are shared by every workspace; the workspace is still named, so the one membership rule applies.
const username = z.object({ username: z.string().max(1000) });

export const profilesRouter = router({
  /** The profile as the avatar endpoint serves it; null when nobody has asked for it yet. */
  lookup: workspaceProcedure.input(username).query(async ({ ctx, input }) => {
    const profile = await findProfile(ctx.db, input.username);
    return profile ? profileView(ctx.config.publicCdnUrl, profile) : null;
  }),
  refresh: workspaceProcedure
    .input(username)
    .mutation(async ({ ctx, input }) =>
      profileView(ctx.config.publicCdnUrl, await refreshProfile(ctx.db, input.username)),
    ),
});
