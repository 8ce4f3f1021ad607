// The all-in-one start: embedded PostgreSQL (unless DATABASE_URL), migrations, then the API, the admin
// API and the worker in one process. SIGINT/SIGTERM stop everything in order and exit 0.
import { join } from 'node:path';
import { startAdminServer } from '@avtrz/admin-graphql/server';
import { isSetupOpen } from '@avtrz/admin-graphql/setup';
import { startApiServer } from '@avtrz/api/server';
import { buildConsoleIfStale } from '@avtrz/console/build';
import { openDatabase } from '@avtrz/db/client';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '@avtrz/db/embedded';
import { migrateToLatest } from '@avtrz/db/migrate';
import { consoleUrlFor, metricsPortOf, withDatabaseUrl } from '@avtrz/shared/config';
import { createLogger } from '@avtrz/shared/logger';
import { createProcessRegistry, serveMetrics } from '@avtrz/shared/metrics/serve-metrics';
import { ensureOperatorToken } from '@avtrz/shared/operator-token';
import { loadConfigOrExit } from '@avtrz/shared/process/load-config-or-exit';
import { stopOnSignals } from '@avtrz/shared/process/shutdown';
import { surviveDriverConnectionErrors } from '@avtrz/shared/process/survive-driver-errors';
import { startWorker } from '@avtrz/worker/worker';

const baseConfig = loadConfigOrExit();
const logger = createLogger({ name: 'avtrz', level: baseConfig.logLevel });
surviveDriverConnectionErrors(logger);

let embedded: EmbeddedPostgres | undefined;
if (!baseConfig.databaseUrl) {
  embedded = await startEmbeddedPostgres({
    dataDir: baseConfig.dataDir,
    onLog: (line) => logger.debug({ scope: 'postgres' }, line),
  });
  logger.info({ dataDir: join(baseConfig.dataDir, 'pg') }, 'embedded PostgreSQL started');
}
const databaseUrl = baseConfig.databaseUrl ?? embedded!.url;
const operator = await ensureOperatorToken(baseConfig.operatorToken, baseConfig.dataDir);
const config = withDatabaseUrl({ ...baseConfig, operatorToken: operator.token }, databaseUrl);

const database = openDatabase(databaseUrl, { applicationName: 'avtrz' });
await migrateToLatest(database.db, databaseUrl);

// A few seconds when the console's sources changed; without a build the admin API still serves.
await buildConsoleIfStale({ log: (line) => logger.info(line) }).catch((error: unknown) =>
  logger.error({ err: error }, 'console build failed'),
);

const api = await startApiServer({ config, database, logger: logger.child({ app: 'api' }) });
const admin = await startAdminServer({ config, database, logger: logger.child({ app: 'admin' }) });
const worker = await startWorker({ config, database, logger: logger.child({ app: 'worker' }) });

// One metrics port for the three apps: the API's.
const metrics = await serveMetrics({
  host: config.host,
  port: metricsPortOf(config, 'api'),
  registries: [api.registry, admin.registry, worker.registry, createProcessRegistry(database.pool)],
  logger,
});

logger.info(
  { url: api.url, docs: `${api.url}/docs` },
  'api listening (GET /v1/avatar, POST /v1/avatars, CDN origin, docs)',
);
logger.info({ url: `${admin.url}/graphql` }, 'admin API listening');
const consoleUrl = consoleUrlFor(config, admin.port);
logger.info({ url: consoleUrl }, 'console');
// The first account is made at /setup, with the operator token (kept in the fragment, never sent to a server).
if (await isSetupOpen(database.db))
  logger.info(
    { url: `${consoleUrl}/setup#token=${operator.token}` },
    'no account yet: open this link to create the first one',
  );
logger.info('worker running');
if (operator.file) logger.info({ file: operator.file }, 'operator token kept in this file');
else logger.info('operator token taken from OPERATOR_TOKEN');
logger.flush();

stopOnSignals(logger, async () => {
  await Promise.all([api.close(), admin.close()]);
  await worker.stop();
  await metrics?.close();
  await database.close();
  await embedded?.stop();
  if (embedded) logger.info('embedded PostgreSQL stopped');
});
