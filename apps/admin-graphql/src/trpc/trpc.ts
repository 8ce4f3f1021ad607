import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { z } from 'zod';
import type { Db } from '@avtrz/db/client';
import type { Config } from '@avtrz/shared/config';
import { DomainError, errorCatalog, isDomainError } from '@avtrz/shared/errors';
import type { Accounts, SessionUser } from '../auth/better-auth.ts';
import { requireOwner, workspaceAccess } from '../services/memberships.service.ts';

/**
 * The console's tRPC layer: callers are people, authenticated by their session cookie, and every
 * workspace procedure passes the one membership rule below. The services are the ones GraphQL uses.
 */

export interface TrpcContext {
  readonly db: Db;
  readonly config: Config;
  /** The console's origin: the only one state-changing calls are accepted from. */
  readonly consoleUrl: string;
  readonly accounts: Accounts;
  /** The signed-in person, or null. */
  readonly session: SessionUser | null;
  /** The request's Origin header. */
  readonly origin: string | null;
  /** The request's headers (with the client's socket address), for calls into the authentication library. */
  readonly requestHeaders: Headers;
  /** Headers added to the response (session cookies, Retry-After). */
  readonly responseHeaders: Headers;
  readonly clientAddress: string;
  /** The request's clock reading: one "now" for everything a request decides. */
  readonly now: Date;
}

const statusToTrpc: Record<number, TRPC_ERROR_CODE_KEY> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  429: 'TOO_MANY_REQUESTS',
};

/** The domain error as tRPC's error; the contract's code travels in `data.avtrzCode`. */
export function toTrpcError(error: DomainError): TRPCError {
  return new TRPCError({
    code: statusToTrpc[errorCatalog[error.code].status] ?? 'BAD_REQUEST',
    message: error.message,
    cause: error,
  });
}

const t = initTRPC.context<TrpcContext>().create({
  // Expected errors keep their message and carry the contract's code; unexpected ones say nothing (they are
  // logged). Input that fails its schema is answered without echoing it.
  errorFormatter({ shape, error }) {
    const domainCode = isDomainError(error.cause) ? error.cause.code : null;
    const message =
      error.code === 'INTERNAL_SERVER_ERROR' ? 'Unexpected error.' : (schemaIssues(error.cause) ?? shape.message);
    return { ...shape, message, data: { ...shape.data, stack: undefined, avtrzCode: domainCode } };
  },
});

/** Input refused by its schema, as "field: problem" (the way the services word theirs); never the values. */
function schemaIssues(cause: unknown): string | undefined {
  if (!cause || typeof cause !== 'object' || !('issues' in cause) || !Array.isArray(cause.issues)) return undefined;
  return (cause.issues as { path?: PropertyKey[]; message: string }[])
    .map((issue) => `${issue.path?.length ? issue.path.map(String).join('.') : 'input'}: ${issue.message}`)
    .join('; ');
}

const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isDomainError(result.error.cause)) throw toTrpcError(result.error.cause);
  return result;
});

/** State-changing calls must come from the console's own origin (a missing Origin is refused too). */
const sameOriginWrites = t.middleware(({ ctx, type, next }) => {
  if (type !== 'query' && ctx.origin !== new URL(ctx.consoleUrl).origin) {
    throw toTrpcError(new DomainError('cross_origin_refused'));
  }
  return next();
});

export const router = t.router;

/** Open to anyone (setup, invitation links); writes still need the console's Origin. */
export const publicProcedure = t.procedure.use(domainErrors).use(sameOriginWrites);

/** A signed-in person; ctx.userId is theirs. */
export const sessionProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw toTrpcError(new DomainError('unauthenticated'));
  return next({ ctx: { userId: ctx.session.userId } });
});

/**
 * A procedure acting on the workspace named by `workspaceId` in its input, for members of it only:
 * any other id is NOT_FOUND, exactly like an id that does not exist. ctx.workspaceId and ctx.role follow.
 */
export const workspaceProcedure = sessionProcedure
  .input(z.object({ workspaceId: z.string().max(100) }))
  .use(async ({ ctx, input, next }) => {
    const access = await workspaceAccess(ctx.db, ctx.userId, input.workspaceId);
    return next({ ctx: { workspaceId: access.workspaceId, role: access.role } });
  });

/** Member management: owners of the workspace only (others get FORBIDDEN; non-members still NOT_FOUND). */
export const ownerProcedure = workspaceProcedure.use(({ ctx, next }) => {
  requireOwner({ workspaceId: ctx.workspaceId, userId: ctx.userId, role: ctx.role });
  return next();
});
