import type { Registry } from 'prom-client';
import { registerComputedMetric } from './custom-metric.ts';

/** What the database handle counts about its pool (packages/db's PoolStats, as far as metrics need). */
export interface PoolCounts {
  readonly max: number;
  readonly busy: number;
  readonly waiting: number;
  readonly queries: number;
  readonly errors: number;
}

/** avtrz_db_pool_* gauges and avtrz_db_queries_total / _failed_total, read at scrape time. */
export function registerPoolMetrics(registry: Registry, pool: PoolCounts): void {
  const gauge = (name: string, help: string, read: () => number) =>
    registerComputedMetric(registry, { name, help, type: 'gauge', values: () => [{ value: read() }] });
  gauge('avtrz_db_pool_max_connections', 'Most connections the database pool opens', () => pool.max);
  gauge('avtrz_db_pool_busy_connections', 'Connections checked out by a query or transaction', () => pool.busy);
  gauge('avtrz_db_pool_waiting_queries', 'Queries waiting for a free connection', () => pool.waiting);
  registerComputedMetric(registry, {
    name: 'avtrz_db_queries_total',
    help: 'Queries run through the query builder',
    type: 'counter',
    values: () => [{ value: pool.queries }],
  });
  registerComputedMetric(registry, {
    name: 'avtrz_db_queries_failed_total',
    help: 'Queries that failed (connection lost, timeout, constraint, …)',
    type: 'counter',
    values: () => [{ value: pool.errors }],
  });
}
