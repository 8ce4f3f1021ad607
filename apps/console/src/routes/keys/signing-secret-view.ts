import type { AppRouter } from '@avtrz/admin-graphql/trpc';
import type { inferRouterOutputs } from '@trpc/server';

export type SigningSecretView = inferRouterOutputs<AppRouter>['signingSecrets']['list'][number];

/** Every secret starts with this; the rest is random. What is shown after creation: the prefix and the last four. */
const SECRET_PREFIX = 'avtrz_sig_';

export function maskedSecret(secret: Pick<SigningSecretView, 'last4'>): string {
  return `${SECRET_PREFIX}…${secret.last4}`;
}
