import { H3 } from 'h3';
import type { DatabaseHandle } from '@avtrz/db/client';
import { databaseNotReadyReason } from '@avtrz/db/readiness';
import { type Config, consoleUrlFor } from '@avtrz/shared/config';
import { errorBody } from '@avtrz/shared/errors';
import { registerHealthRoutes } from '@avtrz/shared/http/health-routes';
import { useRequestLogging } from '@avtrz/shared/http/request-logging';
import type { Logger } from '@avtrz/shared/logger';
import { Registry } from 'prom-client';
import { registerAnswerMetrics } from '@avtrz/shared/metrics/answer-metrics';
import { createAnswerCounts } from '@avtrz/shared/metrics/answer-counts';
import { createAccounts } from './auth/better-auth.ts';
import { registerAuthRoute } from './auth/route.ts';
import { registerSetupGate } from './auth/setup-gate.ts';
import { defaultConsoleDir } from './console/console-files.ts';
import { registerConsoleRoute } from './console/console-route.ts';
import { registerGraphqlRoute } from './graphql/route.ts';
import { registerTrpcRoute } from './trpc/route.ts';

export interface AdminDeps {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly logger: Logger;
  /** The built console to serve at / (default: apps/console/dist). */
  readonly consoleDir?: string;
  /** Where people open the console; default consoleUrlFor(config) (CONSOLE_URL or this server's address). */
  readonly consoleUrl?: string;
}

export interface AdminApp {
  readonly app: H3;
  /** Answers by route and status, with latency (served on METRICS_PORT by the process). */
  readonly registry: Registry;
  /** Nothing is held in memory between requests; kept for symmetry with the other apps. */
  close(): Promise<void>;
}

/** The admin API: GraphQL at /graphql, the console's tRPC router, and the console itself at /. */
export async function createAdminApp(deps: AdminDeps): Promise<AdminApp> {
  const app: H3 = new H3();
  const consoleUrl = deps.consoleUrl ?? consoleUrlFor(deps.config);
  const db = deps.database.db;
  const accounts = createAccounts({ db, config: deps.config, consoleUrl, logger: deps.logger });
  const registry = new Registry();
  const answers = createAnswerCounts();
  registerAnswerMetrics(registry, 'avtrz_admin', answers);
  const routes = { graphql: answers.route('graphql'), trpc: answers.route('trpc'), other: answers.route('other') };
  useRequestLogging(app, deps.logger, deps.config.accessLog, (event, status, startedAt) => {
    const path = event.url.pathname;
    const route = path === '/graphql' ? routes.graphql : path.startsWith('/trpc') ? routes.trpc : routes.other;
    route.record(status, String(status), (performance.now() - startedAt) / 1000);
  });
  registerHealthRoutes(app, () => databaseNotReadyReason(deps.database.db));
  registerGraphqlRoute(app, { ...deps, consoleUrl });
  registerAuthRoute(app, { db, accounts, logger: deps.logger, proxyHops: deps.config.trustedProxyHops });
  registerTrpcRoute(app, { db, config: deps.config, consoleUrl, accounts, logger: deps.logger });
  registerSetupGate(app, db);
  registerConsoleRoute(app, { dir: deps.consoleDir ?? defaultConsoleDir, config: deps.config });
  app.all('/**', (event) => {
    event.res.status = 404;
    event.res.headers.set('cache-control', 'no-store');
    return errorBody('not_found');
  });
  return { app, registry, close: async () => {} };
}
