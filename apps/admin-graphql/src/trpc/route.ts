import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { H3 } from 'h3';
import type { Db } from '@avtrz/db/client';
import type { Config } from '@avtrz/shared/config';
import type { Logger } from '@avtrz/shared/logger';
import type { Accounts } from '../auth/better-auth.ts';
import { clientAddress, requestWithClientAddress } from '../auth/client-address.ts';
import { readCappedText } from '../auth/read-capped.ts';
import { MAX_BODY_BYTES } from '../graphql/route.ts';
import { appRouter } from './root.ts';

export const TRPC_ENDPOINT = '/trpc';

export interface TrpcRouteDeps {
  readonly db: Db;
  readonly config: Config;
  readonly consoleUrl: string;
  readonly accounts: Accounts;
  readonly logger: Logger;
}

/** Mounts the console's router at /trpc, authenticated by the session cookie. */
export function registerTrpcRoute(app: H3, deps: TrpcRouteDeps): void {
  app.all(`${TRPC_ENDPOINT}/**`, async (event) => {
    const method = event.req.method;
    const body = method === 'GET' || method === 'HEAD' ? null : await readCappedText(event.req, MAX_BODY_BYTES);
    if (body === undefined) {
      return Response.json(
        { error: { message: `Request bodies are limited to ${MAX_BODY_BYTES} bytes.` } },
        { status: 413 },
      );
    }
    const req = requestWithClientAddress(event, deps.config.trustedProxyHops, body);
    return fetchRequestHandler({
      endpoint: TRPC_ENDPOINT,
      req,
      router: appRouter,
      async createContext({ resHeaders }) {
        return {
          db: deps.db,
          config: deps.config,
          consoleUrl: deps.consoleUrl,
          accounts: deps.accounts,
          session: await deps.accounts.session(req.headers, resHeaders),
          origin: req.headers.get('origin'),
          requestHeaders: req.headers,
          responseHeaders: resHeaders,
          clientAddress: clientAddress(event, deps.config.trustedProxyHops),
          now: new Date(),
        };
      },
      onError({ error, path }) {
        // Only the path and the error: inputs (passwords, tokens) never reach a log line.
        if (error.code === 'INTERNAL_SERVER_ERROR')
          deps.logger.error({ err: error.cause ?? error, path }, 'unexpected error in the console API');
      },
      responseMeta() {
        return { headers: new Headers({ 'cache-control': 'no-store' }) };
      },
    });
  });
}
