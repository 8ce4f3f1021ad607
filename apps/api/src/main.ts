// Runs the public API alone against DATABASE_URL (how production runs it, any number side by side).
// With API_PROCESSES > 1 this process supervises that many API processes on the one port.
import cluster from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { openDatabase } from '@avtrz/db/client';
import { metricsPortOf } from '@avtrz/shared/config';
import { createLogger } from '@avtrz/shared/logger';
import { createProcessRegistry, serveMetrics } from '@avtrz/shared/metrics/serve-metrics';
import { loadConfigOrExit } from '@avtrz/shared/process/load-config-or-exit';
import { stopOnSignals } from '@avtrz/shared/process/shutdown';
import { requireDatabaseUrl } from '@avtrz/shared/process/require-database-url';
import { surviveDriverConnectionErrors } from '@avtrz/shared/process/survive-driver-errors';
import { runApiPrimary } from './processes/api-primary.ts';
import { type FromWorker, isStopMessage } from './processes/messages.ts';
import { startApiServer } from './server.ts';

const config = requireDatabaseUrl(loadConfigOrExit());
const supervised = cluster.isWorker;
const logger = createLogger({ name: 'api', level: config.logLevel });

if (config.apiProcesses > 1 && cluster.isPrimary) {
  await runApiPrimary(config, logger);
} else {
  surviveDriverConnectionErrors(logger);
  const database = openDatabase(config.databaseUrl, { applicationName: 'avtrz-api' });
  // Signals are handled from the start, so one that arrives while the server starts still stops it cleanly.
  // Under a supervisor every process binds the port itself (SO_REUSEPORT): the kernel spreads the
  // connections, and no process relays them.
  const starting = startApiServer({ config, database, logger }, config.apiPort, { reusePort: supervised });
  let metrics: Awaited<ReturnType<typeof serveMetrics>>;
  // Under a supervisor a Ctrl-C reaches the whole process group: the supervisor's message decides.
  const stop = stopOnSignals(
    logger,
    async () => {
      await (await starting).close();
      await metrics?.close();
      await database.close();
    },
    supervised ? ['SIGTERM'] : undefined,
  );
  if (supervised) {
    process.on('SIGINT', () => {});
    process.on('message', (message: unknown) => {
      if (isStopMessage(message)) stop('supervisor');
    });
    // The supervisor is gone (killed): stop cleanly rather than serve unsupervised.
    process.on('disconnect', () => stop('disconnect'));
  }
  const api = await starting;
  const registries = [api.registry, createProcessRegistry(database.pool)];
  if (supervised) {
    // The supervisor serves the metrics port and asks each process for its registries.
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries(registries);
    process.send?.({ type: 'avtrz:api-listening', url: api.url } satisfies FromWorker);
  } else {
    metrics = await serveMetrics({ host: config.host, port: metricsPortOf(config, 'api'), registries, logger });
    logger.info({ url: api.url }, 'api listening');
  }
  logger.flush();
}
