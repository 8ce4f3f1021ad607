import { z } from 'zod';
import type { InvitationRow } from '@avtrz/db/schema';
import {
  acceptInvitation,
  createInvitation,
  describeInvitation,
  openInvitations,
  revokeInvitation,
} from '../../services/invitations.service.ts';
import { ownerProcedure, publicProcedure, router } from '../trpc.ts';

const token = z.string().max(200);

function invitationView(invitation: InvitationRow) {
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    createdAt: invitation.created_at.toISOString(),
    expiresAt: invitation.expires_at.toISOString(),
  };
}

export const invitationsRouter = router({
  /** Open invitations (not used, revoked or expired). Owners only. */
  list: ownerProcedure.query(async ({ ctx }) =>
    (await openInvitations(ctx.db, ctx.workspaceId, ctx.now)).map(invitationView),
  ),
  /** A single-use link valid for 7 days, shown to the inviter once (no email is sent). */
  create: ownerProcedure
    .input(z.object({ email: z.string().max(1000), role: z.enum(['owner', 'member']).default('member') }))
    .mutation(async ({ ctx, input }) => {
      const created = await createInvitation(
        ctx.db,
        {
          workspaceId: ctx.workspaceId,
          email: input.email,
          role: input.role,
          invitedBy: ctx.userId,
          consoleUrl: ctx.consoleUrl,
        },
        ctx.now,
      );
      return { ...invitationView(created.invitation), url: created.url };
    }),
  revoke: ownerProcedure
    .input(z.object({ id: z.string().max(100) }))
    .mutation(async ({ ctx, input }) =>
      invitationView(await revokeInvitation(ctx.db, ctx.workspaceId, input.id, ctx.now)),
    ),
  /** For whoever holds the link: the workspace, the invited email and role, whether that account exists. */
  describe: publicProcedure.input(z.object({ token })).query(async ({ ctx, input }) => {
    const described = await describeInvitation(ctx.db, input.token, ctx.now);
    return { ...described, expiresAt: described.expiresAt.toISOString() };
  }),
  /**
   * Signed in: joins with that account. Otherwise sets a password for a new account with the invited
   * email and signs it in.
   */
  accept: publicProcedure
    .input(z.object({ token, password: z.string().max(1000).nullish(), name: z.string().max(1000).nullish() }))
    .mutation(async ({ ctx, input }) => {
      const accepted = await acceptInvitation(
        ctx.db,
        ctx.accounts.hashPassword,
        { token: input.token, password: input.password, name: input.name, userId: ctx.session?.userId },
        ctx.now,
      );
      if (accepted.newAccountEmail !== undefined && input.password) {
        await ctx.accounts.signIn(
          { email: accepted.newAccountEmail, password: input.password },
          ctx.requestHeaders,
          ctx.responseHeaders,
        );
      }
      return { workspaceId: accepted.workspaceId };
    }),
});
