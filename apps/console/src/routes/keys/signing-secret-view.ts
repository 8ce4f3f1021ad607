import type { AppRouter } from '@avtrz/admin-graphql/trpc';
import { SIGNING_SECRET_PREFIX } from '@avtrz/shared/signing-secrets';
import type { inferRouterOutputs } from '@trpc/server';

export type SigningSecretView = inferRouterOutputs<AppRouter>['signingSecrets']['list'][number];

/** What may be shown of a secret after creation: its prefix and the last four characters. */
export function maskedSecret(secret: Pick<SigningSecretView, 'last4'>): string {
  return `${SIGNING_SECRET_PREFIX}…${secret.last4}`;
}
