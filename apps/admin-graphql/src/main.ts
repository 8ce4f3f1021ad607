// Runs the admin API alone against DATABASE_URL (how production runs it, any number side by side).
import { openDatabase } from '@avtrz/db/client';
import { metricsPortOf } from '@avtrz/shared/config';
import { createLogger } from '@avtrz/shared/logger';
import { createProcessRegistry, serveMetrics } from '@avtrz/shared/metrics/serve-metrics';
import { loadConfigOrExit } from '@avtrz/shared/process/load-config-or-exit';
import { stopOnSignals } from '@avtrz/shared/process/shutdown';
import { requireDatabaseUrl } from '@avtrz/shared/process/require-database-url';
import { surviveDriverConnectionErrors } from '@avtrz/shared/process/survive-driver-errors';
import { startAdminServer } from './server.ts';

const config = requireDatabaseUrl(loadConfigOrExit());
const logger = createLogger({ name: 'admin', level: config.logLevel });
surviveDriverConnectionErrors(logger);
const database = openDatabase(config.databaseUrl, { applicationName: 'avtrz-admin' });
// Signals are handled from the start, so one that arrives while the server starts still stops it cleanly.
const starting = startAdminServer({ config, database, logger });
let metrics: Awaited<ReturnType<typeof serveMetrics>>;
stopOnSignals(logger, async () => {
  await (await starting).close();
  await metrics?.close();
  await database.close();
});
const admin = await starting;
metrics = await serveMetrics({
  host: config.host,
  port: metricsPortOf(config, 'admin'),
  registries: [admin.registry, createProcessRegistry(database.pool)],
  logger,
});
logger.info({ url: admin.url }, 'admin API listening');
logger.flush();
