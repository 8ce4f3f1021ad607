import { z } from 'zod';
import { changeMemberRole, removeMember, workspaceMembers } from '../../services/memberships.service.ts';
import { ownerProcedure, router, workspaceProcedure } from '../trpc.ts';

const role = z.enum(['owner', 'member']);
const userId = z.string().max(100);

export const membersRouter = router({
  list: workspaceProcedure.query(async ({ ctx }) =>
    (await workspaceMembers(ctx.db, ctx.workspaceId)).map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString() })),
  ),
  updateRole: ownerProcedure.input(z.object({ userId, role })).mutation(async ({ ctx, input }) => {
    await changeMemberRole(ctx.db, ctx.workspaceId, input.userId, input.role);
    return { userId: input.userId, role: input.role };
  }),
  remove: ownerProcedure.input(z.object({ userId })).mutation(async ({ ctx, input }) => {
    await removeMember(ctx.db, ctx.workspaceId, input.userId);
    return { userId: input.userId };
  }),
});
