import { apiKeysRouter } from './router/api-keys.ts';
import { configRouter } from './router/config.ts';
import { invitationsRouter } from './router/invitations.ts';
import { membersRouter } from './router/members.ts';
import { profilesRouter } from './router/profiles.ts';
import { sessionRouter } from './router/session.ts';
import { setupRouter } from './router/setup.ts';
import { signingSecretsRouter } from './router/signing-secrets.ts';
import { trafficRouter } from './router/traffic.ts';
import { usageRouter } from './router/usage.ts';
import { workspaceRouter } from './router/workspace.ts';
import { router } from './trpc.ts';

/** The console's router. Only its type leaves this package (for the console's typed client). */
export const appRouter = router({
  session: sessionRouter,
  config: configRouter,
  setup: setupRouter,
  workspace: workspaceRouter,
  apiKeys: apiKeysRouter,
  usage: usageRouter,
  traffic: trafficRouter,
  profiles: profilesRouter,
  members: membersRouter,
  invitations: invitationsRouter,
  signingSecrets: signingSecretsRouter,
});

export type AppRouter = typeof appRouter;
