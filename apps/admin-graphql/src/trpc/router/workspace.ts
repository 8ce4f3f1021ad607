import { getWorkspace } from '../../services/workspaces.service.ts';
import { router, workspaceProcedure } from '../trpc.ts';

export const workspaceRouter = router({
  get: workspaceProcedure.query(async ({ ctx }) => {
    const workspace = await getWorkspace(ctx.db, ctx.workspaceId);
    return {
      id: workspace.id,
      name: workspace.name,
      role: ctx.role,
      plan: {
        monthlyRequestQuota: workspace.monthly_request_quota,
        monthlyNewProfileQuota: workspace.monthly_new_profile_quota,
        rateLimitPerMinute: workspace.rate_limit_per_minute,
      },
      createdAt: workspace.created_at.toISOString(),
    };
  }),
});
