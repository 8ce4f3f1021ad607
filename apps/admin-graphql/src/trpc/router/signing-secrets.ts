import { z } from 'zod';
import type { SigningSecretView } from '@avtrz/db/queries/signing-secrets.queries';
import {
  createSigningSecret,
  listKeySigningSecrets,
  revokeSigningSecret,
} from '../../services/signing-secrets.service.ts';
import { router, workspaceProcedure } from '../trpc.ts';

/** A signing secret as JSON for the console (times as ISO-8601 strings, as in GraphQL); never the secret. */
function signingSecretView(secret: SigningSecretView) {
  return {
    id: secret.id,
    keyId: secret.keyId,
    last4: secret.last4,
    createdAt: secret.createdAt.toISOString(),
    revokedAt: secret.revokedAt?.toISOString() ?? null,
  };
}

/** Signing secrets of publishable keys: the same services and rules as the GraphQL mutations. */
export const signingSecretsRouter = router({
  list: workspaceProcedure
    .input(z.object({ keyId: z.string(), includeRevoked: z.boolean().default(false) }))
    .query(async ({ ctx, input }) =>
      (await listKeySigningSecrets(ctx.db, ctx.workspaceId, input.keyId, input)).map(signingSecretView),
    ),
  create: workspaceProcedure.input(z.object({ keyId: z.string() })).mutation(async ({ ctx, input }) => {
    const created = await createSigningSecret(ctx.db, ctx.workspaceId, input.keyId, ctx.now);
    return { signingSecret: signingSecretView(created.signingSecret), secret: created.secret };
  }),
  revoke: workspaceProcedure
    .input(z.object({ id: z.string() }))
    .mutation(async ({ ctx, input }) =>
      signingSecretView(await revokeSigningSecret(ctx.db, ctx.workspaceId, input.id, ctx.now)),
    ),
});
