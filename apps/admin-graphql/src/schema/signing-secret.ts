import type { SigningSecretView } from '@avtrz/db/queries/signing-secrets.queries';
import type { ApiKeyRow } from '@avtrz/db/schema';
import { actingWorkspaceId } from '../auth/actor.ts';
import { builder } from '../builder.ts';
import {
  type CreatedSigningSecret,
  createSigningSecret,
  listLoadedKeySigningSecrets,
  revokeSigningSecret,
} from '../services/signing-secrets.service.ts';
import { ApiKey } from './api-key.ts';
import { DateTime } from './date-time.ts';

export const SigningSecret = builder.objectRef<SigningSecretView>('SigningSecret').implement({
  description:
    'A secret that signs avatar URLs of a publishable key (for emails and pages without Origin or Referer). The secret itself is shown once, when it is created.',
  fields: (t) => ({
    id: t.exposeID('id'),
    keyId: t.exposeID('keyId'),
    last4: t.exposeString('last4', { description: 'The last four characters of the secret.' }),
    createdAt: t.expose('createdAt', { type: DateTime }),
    revokedAt: t.expose('revokedAt', { type: DateTime, nullable: true }),
  }),
});

const SigningSecretPayload = builder.objectRef<CreatedSigningSecret>('SigningSecretPayload').implement({
  fields: (t) => ({
    signingSecret: t.field({ type: SigningSecret, resolve: (p) => p.signingSecret }),
    secret: t.exposeString('secret', {
      description: 'The full secret (the HMAC-SHA256 key of signed URLs). It is shown this once.',
    }),
  }),
});

builder.objectField(ApiKey, 'signingSecrets', (t) =>
  t.field({
    type: [SigningSecret],
    description: "The key's active signing secrets, oldest first (publishable keys; at most two).",
    resolve: async (key: ApiKeyRow, _args, ctx) => listLoadedKeySigningSecrets(ctx.db, key),
  }),
);

builder.mutationField('createSigningSecret', (t) =>
  t.field({
    type: SigningSecretPayload,
    description:
      'Creates a signing secret for a publishable key; a key has at most two active ones (rotate: create, deploy, revoke the old one).',
    args: { keyId: t.arg.id({ required: true }) },
    resolve: async (_root, { keyId }, ctx) =>
      createSigningSecret(ctx.db, await actingWorkspaceId(ctx.db, ctx.actor), keyId, ctx.now),
  }),
);

builder.mutationField('revokeSigningSecret', (t) =>
  t.field({
    type: SigningSecret,
    description: 'URLs signed with the secret stop working on every API process within 2 seconds.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) =>
      revokeSigningSecret(ctx.db, await actingWorkspaceId(ctx.db, ctx.actor), id, ctx.now),
  }),
);
