import type { Registry } from 'prom-client';

/**
 * A metric whose values are computed when the registry is scraped, from counts kept elsewhere in
 * plain integers. prom-client's own Counter and Histogram would put label hashing on the hot path.
 * The shape is the one prom-client's registry (and its cluster aggregation) reads from a metric.
 */
export interface MetricValue {
  readonly value: number;
  readonly labels?: Record<string, string | number>;
  /** For a histogram's `_bucket`, `_sum` and `_count` lines. */
  readonly metricName?: string;
}

export function registerComputedMetric(
  registry: Registry,
  metric: {
    name: string;
    help: string;
    type: 'counter' | 'gauge' | 'histogram';
    values: () => readonly MetricValue[];
    /** How the cluster primary combines the processes' values; default sum. */
    aggregator?: 'sum' | 'max' | 'first' | 'omit';
  },
): void {
  const { name, help, type } = metric;
  const aggregator = metric.aggregator ?? 'sum';
  registry.registerMetric({
    name,
    help,
    type,
    aggregator,
    // Every value carries a labels object: the cluster aggregation hashes it.
    get: async () => ({
      name,
      help,
      type,
      aggregator,
      values: metric.values().map((v) => (v.labels ? v : { ...v, labels: {} })),
    }),
    reset: () => {},
  } as unknown as Parameters<Registry['registerMetric']>[0]);
}
