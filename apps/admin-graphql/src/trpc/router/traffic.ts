import { z } from 'zod';
import { DEFAULT_TRAFFIC_DAYS, trafficHosts } from '../../services/traffic.service.ts';
import { router, workspaceProcedure } from '../trpc.ts';

export const trafficRouter = router({
  /** Per key, the hosts its requests came from over the last `days` days (the Traffic page). */
  hosts: workspaceProcedure
    .input(z.object({ days: z.number().int().default(DEFAULT_TRAFFIC_DAYS), keyId: z.string().max(100).nullish() }))
    .query(async ({ ctx, input }) => {
      const perKey = await trafficHosts(ctx.db, ctx.workspaceId, { ...input, now: ctx.now });
      return perKey.map(({ key, requests, blocked, hosts }) => ({
        keyId: key.id,
        type: key.type,
        name: key.name,
        prefix: key.prefix,
        last4: key.last4,
        allowedDomains: key.allowed_domains,
        revokedAt: key.revoked_at?.toISOString() ?? null,
        requests,
        blocked,
        hosts,
      }));
    }),
});
