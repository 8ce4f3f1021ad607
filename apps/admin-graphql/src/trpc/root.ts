import { apiKeysRouter } from './router/api-keys.ts';
import { signingSecretsRouter } from './router/signing-secrets.ts';
import { usageRouter } from './router/usage.ts';
import { router } from './trpc.ts';

/** The console's router. Only its type leaves this package (for the console's typed client). */
export const appRouter = router({
  apiKeys: apiKeysRouter,
  usage: usageRouter,
  signingSecrets: signingSecretsRouter,
});

export type AppRouter = typeof appRouter;
