import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import type { Db } from '@avtrz/db/client';
import type { Config } from '@avtrz/shared/config';
import { type DomainError, errorCatalog, isDomainError } from '@avtrz/shared/errors';
import { type Actor, actingWorkspaceId } from '../auth/actor.ts';

/** The console's tRPC layer: the same services and rules as GraphQL, authenticated the same way. */

export interface TrpcContext {
  readonly actor: Actor;
  readonly db: Db;
  readonly config: Config;
  readonly now: Date;
}

const statusToTrpc: Record<number, TRPC_ERROR_CODE_KEY> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
};

/** The domain error as tRPC's error; the contract's code travels in `data.code`. */
export function toTrpcError(error: DomainError): TRPCError {
  return new TRPCError({
    code: statusToTrpc[errorCatalog[error.code].status] ?? 'BAD_REQUEST',
    message: error.message,
    cause: error,
  });
}

const t = initTRPC.context<TrpcContext>().create({
  // Expected errors keep their message and carry the contract's code; unexpected ones say nothing (they are logged).
  errorFormatter({ shape, error }) {
    const domainCode = isDomainError(error.cause) ? error.cause.code : null;
    const message = error.code === 'INTERNAL_SERVER_ERROR' ? 'Unexpected error.' : shape.message;
    return { ...shape, message, data: { ...shape.data, stack: undefined, avtrzCode: domainCode } };
  },
});

const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isDomainError(result.error.cause)) throw toTrpcError(result.error.cause);
  return result;
});

export const router = t.router;

/** A procedure acting on the caller's workspace (its id is in ctx.workspaceId). */
export const workspaceProcedure = t.procedure.use(domainErrors).use(async ({ ctx, next }) => {
  const workspaceId = await actingWorkspaceId(ctx.db, ctx.actor);
  return next({ ctx: { workspaceId } });
});
