import type { H3 } from 'h3';
import { FastResponse } from 'srvx';
import { OPENAPI_PATH, buildOpenApiDocument } from './openapi-document.ts';

/** GET /api/docs/openapi: the OpenAPI 3.1 document, built once. */
export function registerOpenApiRoute(app: H3, options: { cdnPath: string }): void {
  const body = Buffer.from(JSON.stringify(buildOpenApiDocument(options), null, 2));
  app.get(
    OPENAPI_PATH,
    () =>
      new FastResponse(body, {
        headers: [
          ['content-type', 'application/json'],
          ['cache-control', 'public, max-age=300'],
        ],
      }),
  );
}
