import { DomainError } from '@avtrz/shared/errors';
import { builder } from '../builder.ts';
import { type CreatedInvitation, createInvitation } from '../services/invitations.service.ts';
import { DateTime } from './date-time.ts';

const MemberRole = builder.enumType('MemberRole', {
  values: {
    OWNER: { value: 'owner', description: 'Manages members and keys.' },
    MEMBER: { value: 'member', description: 'Manages keys.' },
  } as const,
});

const Invitation = builder.objectRef<CreatedInvitation>('Invitation').implement({
  description: 'A single-use link into a workspace for one email, valid for 7 days. No email is sent.',
  fields: (t) => ({
    id: t.id({ resolve: (i) => i.invitation.id }),
    email: t.string({ resolve: (i) => i.invitation.email }),
    role: t.field({ type: MemberRole, resolve: (i) => i.invitation.role }),
    url: t.exposeString('url', { description: 'The link to hand to the invited person; shown this once.' }),
    expiresAt: t.field({ type: DateTime, resolve: (i) => i.invitation.expires_at }),
  }),
});

builder.mutationField('createInvitation', (t) =>
  t.field({
    type: Invitation,
    description: 'Invites a person into a workspace. The operator, or a secret key of that workspace.',
    args: {
      workspaceId: t.arg.id({ required: true }),
      email: t.arg.string({ required: true }),
      role: t.arg({ type: MemberRole, defaultValue: 'member' }),
    },
    resolve: (_root, args, ctx) => {
      // A key acts on its own workspace only; any other id is "not found", as for the rest of the API.
      if (ctx.actor.kind === 'key' && ctx.actor.workspaceId !== args.workspaceId) {
        throw new DomainError('workspace_not_found');
      }
      return createInvitation(
        ctx.db,
        {
          workspaceId: args.workspaceId,
          email: args.email,
          role: args.role ?? 'member',
          invitedBy: null,
          consoleUrl: ctx.consoleUrl,
        },
        ctx.now,
      );
    },
  }),
);
