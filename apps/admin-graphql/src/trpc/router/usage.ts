import { z } from 'zod';
import { getWorkspace } from '../../services/workspaces.service.ts';
import { usageSeries, usageSummary } from '../../services/usage.service.ts';
import { router, workspaceProcedure } from '../trpc.ts';

const instant = z.iso.datetime({ offset: true }).transform((text) => new Date(text));

export const usageRouter = router({
  /** Counts per key and hour or UTC day; buckets without traffic are left out. */
  series: workspaceProcedure
    .input(
      z.object({
        from: instant,
        to: instant,
        granularity: z.enum(['hour', 'day']).default('day'),
        keyId: z.string().max(100).nullish(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const points = await usageSeries(ctx.db, ctx.workspaceId, input);
      return points.map((p) => ({ ...p, start: p.start.toISOString() }));
    }),
  /** This month's avatar_requests and avatar_new_profiles against the plan's quotas. */
  month: workspaceProcedure.query(async ({ ctx }) => {
    const workspace = await getWorkspace(ctx.db, ctx.workspaceId);
    const summary = await usageSummary(ctx.db, workspace, { now: ctx.now });
    return {
      month: summary.month,
      periodStart: summary.periodStart.toISOString(),
      periodEnd: summary.periodEnd.toISOString(),
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
