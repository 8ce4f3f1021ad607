import type { H3 } from 'h3';
import { consoleUrlFor } from '@avtrz/shared/config';
import { errorCatalog, isDomainError } from '@avtrz/shared/errors';
import type { AdminDeps } from '../app.ts';
import { authenticate } from '../auth/authenticate.ts';
import { graphqlCodeOf } from './error-codes.ts';
import { createAdminYoga } from './yoga.ts';

export const GRAPHQL_ENDPOINT = '/graphql';
/** Far above any real document (the token limit is 1,000), far below what could hurt the process. */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * GraphQL over HTTP at /graphql. The caller is authenticated before the document is even parsed, so a
 * request without a valid credential learns nothing but the contract's error code.
 */
export function registerGraphqlRoute(app: H3, deps: AdminDeps): void {
  const yoga = createAdminYoga(deps.logger);
  const db = deps.database.db;
  const consoleUrl = deps.consoleUrl ?? consoleUrlFor(deps.config);
  app.all(GRAPHQL_ENDPOINT, async (event) => {
    const now = new Date();
    let actor;
    try {
      actor = await authenticate({ db, operatorToken: deps.config.operatorToken }, event.req.headers, now);
    } catch (error) {
      if (isDomainError(error))
        return errorResponse(errorCatalog[error.code].status, graphqlCodeOf(error.code), error.message);
      deps.logger.error({ err: error }, 'could not authenticate an admin request');
      return errorResponse(
        503,
        'SERVICE_UNAVAILABLE',
        'The admin API cannot reach its database right now; try again shortly.',
      );
    }
    const length = Number(event.req.headers.get('content-length') ?? 0);
    if (length > MAX_BODY_BYTES) {
      return errorResponse(413, 'PAYLOAD_TOO_LARGE', `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`);
    }
    return yoga.fetch(event.req as Request, { actor, db, config: deps.config, consoleUrl, now });
  });
}

function errorResponse(status: number, code: string, message: string): Response {
  return Response.json(
    { errors: [{ message, extensions: { code } }] },
    { status, headers: { 'cache-control': 'no-store' } },
  );
}
