import { z } from 'zod';
import {
  createApiKey,
  listWorkspaceApiKeys,
  revokeApiKey,
  rollApiKey,
  updateApiKey,
} from '../../services/api-keys.service.ts';
import { apiKeyView } from '../../services/api-key-view.ts';
import { router, workspaceProcedure } from '../trpc.ts';

const id = z.string().max(100);
const name = z.string().max(1000).nullish();
const domains = z.array(z.string().max(1000)).max(1000).nullish();

export const apiKeysRouter = router({
  list: workspaceProcedure
    .input(z.object({ includeRevoked: z.boolean().default(false) }))
    .query(async ({ ctx, input }) => {
      const keys = await listWorkspaceApiKeys(ctx.db, ctx.workspaceId, {
        includeRevoked: input.includeRevoked,
        now: ctx.now,
      });
      return keys.map(apiKeyView);
    }),
  create: workspaceProcedure
    .input(z.object({ type: z.enum(['publishable', 'secret']), name, allowedDomains: domains }))
    .mutation(async ({ ctx, input }) => {
      const created = await createApiKey(ctx.db, ctx.workspaceId, input);
      return { apiKey: apiKeyView(created.apiKey), key: created.key };
    }),
  /** Name and allowed domains; a field left out stays as it is. */
  update: workspaceProcedure
    .input(z.object({ id, name: z.string().max(1000).nullable().optional(), allowedDomains: domains }))
    .mutation(async ({ ctx, input }) =>
      apiKeyView(
        await updateApiKey(
          ctx.db,
          ctx.workspaceId,
          input.id,
          { name: input.name, allowedDomains: input.allowedDomains },
          ctx.now,
        ),
      ),
    ),
  revoke: workspaceProcedure
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => apiKeyView(await revokeApiKey(ctx.db, ctx.workspaceId, input.id, ctx.now))),
  /** A successor with the same settings; the old key keeps working for the grace period. */
  roll: workspaceProcedure
    .input(z.object({ id, gracePeriodSeconds: z.number().int().min(0) }))
    .mutation(async ({ ctx, input }) => {
      const rolled = await rollApiKey(ctx.db, ctx.workspaceId, input.id, {
        gracePeriodSeconds: input.gracePeriodSeconds,
        now: ctx.now,
      });
      return { apiKey: apiKeyView(rolled.apiKey), key: rolled.key, previous: apiKeyView(rolled.previous) };
    }),
});
