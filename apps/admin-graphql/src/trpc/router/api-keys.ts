import { z } from 'zod';
import { createApiKey, listWorkspaceApiKeys, revokeApiKey, rollApiKey } from '../../services/api-keys.service.ts';
import { router, workspaceProcedure } from '../trpc.ts';
import { apiKeyView } from '../../services/api-key-view.ts';

export const apiKeysRouter = router({
  list: workspaceProcedure
    .input(z.object({ includeRevoked: z.boolean().default(false) }).default({ includeRevoked: false }))
    .query(async ({ ctx, input }) => {
      const keys = await listWorkspaceApiKeys(ctx.db, ctx.workspaceId, {
        includeRevoked: input.includeRevoked,
        now: ctx.now,
      });
      return keys.map(apiKeyView);
    }),
  create: workspaceProcedure
    .input(
      z.object({
        type: z.enum(['publishable', 'secret']),
        name: z.string().nullish(),
        allowedDomains: z.array(z.string()).nullish(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const created = await createApiKey(ctx.db, ctx.workspaceId, input);
      return { apiKey: apiKeyView(created.apiKey), key: created.key };
    }),
  revoke: workspaceProcedure
    .input(z.object({ id: z.string() }))
    .mutation(async ({ ctx, input }) => apiKeyView(await revokeApiKey(ctx.db, ctx.workspaceId, input.id, ctx.now))),
  roll: workspaceProcedure
    .input(z.object({ id: z.string(), gracePeriodSeconds: z.number().int().nullish() }))
    .mutation(async ({ ctx, input }) => {
      const rolled = await rollApiKey(ctx.db, ctx.workspaceId, input.id, {
        gracePeriodSeconds: input.gracePeriodSeconds,
        now: ctx.now,
      });
      return { apiKey: apiKeyView(rolled.apiKey), key: rolled.key, previous: apiKeyView(rolled.previous) };
    }),
});
