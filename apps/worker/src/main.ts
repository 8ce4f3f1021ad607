// Runs the worker alone against DATABASE_URL (how production runs it, any number side by side).
import { openDatabase } from '@avtrz/db/client';
import { metricsPortOf } from '@avtrz/shared/config';
import { createLogger } from '@avtrz/shared/logger';
import { createProcessRegistry, serveMetrics } from '@avtrz/shared/metrics/serve-metrics';
import { loadConfigOrExit } from '@avtrz/shared/process/load-config-or-exit';
import { stopOnSignals } from '@avtrz/shared/process/shutdown';
import { requireDatabaseUrl } from '@avtrz/shared/process/require-database-url';
import { surviveDriverConnectionErrors } from '@avtrz/shared/process/survive-driver-errors';
import { startWorker } from './worker.ts';

const config = requireDatabaseUrl(loadConfigOrExit());
const logger = createLogger({ name: 'worker', level: config.logLevel });
surviveDriverConnectionErrors(logger);
const database = openDatabase(config.databaseUrl, { applicationName: 'avtrz-worker' });
// Signals are handled from the start, so one that arrives while the worker connects still stops it cleanly.
const starting = startWorker({ config, database, logger });
let metrics: Awaited<ReturnType<typeof serveMetrics>>;
stopOnSignals(logger, async () => {
  await (await starting).stop();
  await metrics?.close();
  await database.close();
});
const worker = await starting;
metrics = await serveMetrics({
  host: config.host,
  port: metricsPortOf(config, 'worker'),
  registries: [worker.registry, createProcessRegistry(database.pool)],
  logger,
});
logger.info('worker running');
logger.flush();
