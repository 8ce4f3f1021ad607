import cluster, { type Worker } from 'node:cluster';
import { createServer } from 'node:net';
import { AggregatorRegistry } from 'prom-client';
import type { Config } from '@avtrz/shared/config';
import { metricsPortOf } from '@avtrz/shared/config';
import type { Logger } from '@avtrz/shared/logger';
import { startMetricsServer } from '@avtrz/shared/metrics/metrics-server';
import { stopOnSignals } from '@avtrz/shared/process/shutdown';
import { isFromWorker, STOP_MESSAGE } from './messages.ts';

/** A port nothing listens on now, for API_PORT=0. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A process that dies sooner than this after its start is restarted after a pause, not at once. */
const CRASH_LOOP_MS = 5_000;
const RESTART_PAUSE_MS = 1_000;

/**
 * API_PROCESSES > 1: this process only supervises. It forks (node:cluster) that many API processes,
 * each binding the public port with SO_REUSEPORT so that the kernel spreads connections over them
 * with no process relaying them; each has its own caches, kept in step by the database's change
 * notifications like separate deployments are. A process that dies is
 * replaced; SIGTERM stops them all cleanly (each flushes its usage) before this one exits. The
 * metrics port is served here, adding up every process's metrics.
 */
export async function runApiPrimary(config: Config, logger: Logger): Promise<void> {
  let stopping = false;
  const urls = new Map<Worker, string>();
  let announced = false;

  // Port 0 must mean one port for all: chosen here, handed to every process.
  const apiPort = config.apiPort === 0 ? await freePort(config.host) : config.apiPort;
  const fork = () => {
    const startedAt = Date.now();
    const worker = cluster.fork({ API_PORT: String(apiPort) });
    worker.on('message', (message: unknown) => {
      if (!isFromWorker(message)) return;
      urls.set(worker, message.url);
      if (!announced && urls.size === config.apiProcesses) {
        announced = true;
        logger.info({ url: message.url, processes: config.apiProcesses }, 'api listening');
        logger.flush();
      }
    });
    worker.on('exit', (code, signal) => {
      urls.delete(worker);
      if (stopping) return;
      const early = Date.now() - startedAt < CRASH_LOOP_MS;
      logger.error({ pid: worker.process.pid, code, signal }, 'api process died: starting another');
      setTimeout(fork, early ? RESTART_PAUSE_MS : 0);
    });
  };
  for (let i = 0; i < config.apiProcesses; i++) fork();

  const port = metricsPortOf(config, 'api');
  const aggregator = new AggregatorRegistry();
  const metrics =
    port === 0
      ? undefined
      : await startMetricsServer({
          host: config.host,
          port,
          registry: aggregator,
          text: () => aggregator.clusterMetrics(),
        });
  if (metrics) logger.info({ url: metrics.url }, 'metrics listening');

  stopOnSignals(logger, async () => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            worker.once('exit', () => resolve());
            worker.send(STOP_MESSAGE);
          }),
      ),
    );
    await metrics?.close();
  });
}
