import { H3 } from 'h3';
import type { DatabaseHandle } from '@avtrz/db/client';
import { databaseNotReadyReason } from '@avtrz/db/readiness';
import type { Config } from '@avtrz/shared/config';
import { errorBody } from '@avtrz/shared/errors';
import { registerHealthRoutes } from '@avtrz/shared/http/health-routes';
import { useRequestLogging } from '@avtrz/shared/http/request-logging';
import type { Logger } from '@avtrz/shared/logger';

export interface ApiDeps {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly logger: Logger;
}

export interface ApiApp {
  readonly app: H3;
  /** Flushes what is held in memory (usage) and stops listening for changes. */
  close(): Promise<void>;
}

/** The public API: /v1/avatar and the CDN origin. */
export async function createApiApp(deps: ApiDeps): Promise<ApiApp> {
  const app: H3 = new H3();
  useRequestLogging(app, deps.logger);
  registerHealthRoutes(app, () => databaseNotReadyReason(deps.database.db));
  app.all('/**', (event) => {
    event.res.status = 404;
    event.res.headers.set('cache-control', 'no-store');
    return errorBody('not_found');
  });
  return { app, close: async () => {} };
}
