import { z } from 'zod';
import { DomainError, isDomainError } from '@avtrz/shared/errors';
import { addressSubject, recordFailedSignIn, secondsLocked } from '../../auth/sign-in-lockout.ts';
import { createFirstAccount, isSetupOpen } from '../../services/setup.service.ts';
import { publicProcedure, router } from '../trpc.ts';

const setupInput = z.object({
  operatorToken: z.string().max(1000),
  email: z.string().max(1000),
  password: z.string().max(1000),
  name: z.string().max(1000).nullish(),
  workspaceName: z.string().max(1000),
});

export const setupRouter = router({
  /** Whether /setup still offers to create the first account. */
  status: publicProcedure.query(async ({ ctx }) => ({ open: await isSetupOpen(ctx.db) })),
  /** Creates the first person (operator, owner of a new workspace) and signs them in. */
  create: publicProcedure.input(setupInput).mutation(async ({ ctx, input }) => {
    // Wrong operator tokens count against the address like failed sign-ins, so the token cannot be guessed.
    const subject = addressSubject(ctx.clientAddress);
    const wait = await secondsLocked(ctx.db, [subject], ctx.now);
    if (wait > 0) {
      ctx.responseHeaders.set('retry-after', String(wait));
      throw new DomainError('too_many_attempts');
    }
    let created;
    try {
      created = await createFirstAccount(
        ctx.db,
        { hashPassword: ctx.accounts.hashPassword, expectedOperatorToken: ctx.config.operatorToken },
        input,
        ctx.now,
      );
    } catch (error) {
      if (isDomainError(error) && error.code === 'invalid_operator_token') {
        await recordFailedSignIn(ctx.db, { email: undefined, address: subject }, ctx.now);
      }
      throw error;
    }
    await ctx.accounts.signIn(
      { email: created.user.email, password: input.password },
      ctx.requestHeaders,
      ctx.responseHeaders,
    );
    return {
      user: { id: created.user.id, email: created.user.email, name: created.user.name },
      workspace: { id: created.workspace.id, name: created.workspace.name },
    };
  }),
});
