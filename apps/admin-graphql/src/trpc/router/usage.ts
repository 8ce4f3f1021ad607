import { z } from 'zod';
import { getWorkspace } from '../../services/workspaces.service.ts';
import { usageSeries, usageSummary } from '../../services/usage.service.ts';
import { router, workspaceProcedure } from '../trpc.ts';

const instant = z.iso.datetime({ offset: true }).transform((text) => new Date(text));

export const usageRouter = router({
  series: workspaceProcedure
    .input(
      z.object({
        from: instant,
        to: instant,
        granularity: z.enum(['hour', 'day']).default('day'),
        keyId: z.string().nullish(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const points = await usageSeries(ctx.db, ctx.workspaceId, input);
      return points.map((p) => ({ ...p, start: p.start.toISOString() }));
    }),
  summary: workspaceProcedure
    .input(z.object({ month: z.string().nullish() }).default({}))
    .query(async ({ ctx, input }) => {
      const workspace = await getWorkspace(ctx.db, ctx.workspaceId);
      const summary = await usageSummary(ctx.db, workspace, { now: ctx.now, month: input.month });
      return {
        month: summary.month,
        avatarRequests: summary.avatarRequests,
        avatarNewProfiles: summary.avatarNewProfiles,
        plan: {
          monthlyRequestQuota: workspace.monthly_request_quota,
          monthlyNewProfileQuota: workspace.monthly_new_profile_quota,
          rateLimitPerMinute: workspace.rate_limit_per_minute,
        },
      };
    }),
});
