import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Logger } from '../logger.ts';
import { startMetricsServer, type MetricsServer } from './metrics-server.ts';
import { type PoolCounts, registerPoolMetrics } from './pool-metrics.ts';

/**
 * A process's own metrics, registered once per process whatever apps it runs: Node's process
 * metrics (CPU, memory, event-loop lag, GC) and the database pool.
 */
export function createProcessRegistry(pool: PoolCounts | undefined): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  if (pool) registerPoolMetrics(registry, pool);
  return registry;
}

/**
 * Serves the apps' registries, merged with the process's own, on `port` (0: nothing served). The
 * all-in-one start passes all three apps' registries, so one port shows them all.
 */
export async function serveMetrics(options: {
  host: string;
  port: number;
  registries: readonly Registry[];
  logger: Logger;
}): Promise<MetricsServer | undefined> {
  if (options.port === 0) return undefined;
  const merged = Registry.merge([...options.registries]);
  const server = await startMetricsServer({
    host: options.host,
    port: options.port,
    registry: merged,
    text: () => merged.metrics(),
  });
  options.logger.info({ url: server.url }, 'metrics listening');
  return server;
}
