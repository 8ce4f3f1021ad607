import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { H3 } from 'h3';
import { isDomainError } from '@avtrz/shared/errors';
import type { AdminDeps } from '../app.ts';
import { authenticate } from '../auth/authenticate.ts';
import { MAX_BODY_BYTES } from '../graphql/route.ts';
import { appRouter } from './root.ts';
import { toTrpcError } from './trpc.ts';

export const TRPC_ENDPOINT = '/trpc';

/** Mounts the console's router at /trpc, authenticated exactly like /graphql. */
export function registerTrpcRoute(app: H3, deps: AdminDeps): void {
  app.all(`${TRPC_ENDPOINT}/**`, (event) => {
    if (Number(event.req.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) {
      return Response.json(
        { error: { message: `Request bodies are limited to ${MAX_BODY_BYTES} bytes.` } },
        { status: 413 },
      );
    }
    return fetchRequestHandler({
      endpoint: TRPC_ENDPOINT,
      req: event.req as Request,
      router: appRouter,
      async createContext() {
        const now = new Date();
        try {
          const actor = await authenticate(
            { db: deps.database.db, operatorToken: deps.config.operatorToken },
            event.req.headers,
            now,
          );
          return { actor, db: deps.database.db, config: deps.config, now };
        } catch (error) {
          throw isDomainError(error) ? toTrpcError(error) : error;
        }
      },
      onError({ error, path }) {
        if (error.code === 'INTERNAL_SERVER_ERROR')
          deps.logger.error({ err: error.cause ?? error, path }, 'unexpected error in the console API');
      },
      responseMeta() {
        return { headers: new Headers({ 'cache-control': 'no-store' }) };
      },
    });
  });
}
