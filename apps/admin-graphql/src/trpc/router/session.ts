import { findUserById } from '@avtrz/db/queries/accounts.queries';
import { listUserWorkspaces } from '@avtrz/db/queries/memberships.queries';
import { DomainError } from '@avtrz/shared/errors';
import { router, sessionProcedure } from '../trpc.ts';

export const sessionRouter = router({
  /** Who is signed in, and the workspaces they may open. */
  me: sessionProcedure.query(async ({ ctx }) => {
    const user = await findUserById(ctx.db, ctx.userId);
    if (!user) throw new DomainError('unauthenticated');
    const workspaces = await listUserWorkspaces(ctx.db, user.id);
    return {
      user: { id: user.id, email: user.email, name: user.name },
      isOperator: user.is_operator,
      workspaces: workspaces.map((w) => ({ id: w.id, name: w.name, role: w.role })),
    };
  }),
});
