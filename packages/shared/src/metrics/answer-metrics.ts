import type { Registry } from 'prom-client';
import { type AnswerCounts, LATENCY_BUCKETS } from './answer-counts.ts';
import { type MetricValue, registerComputedMetric } from './custom-metric.ts';

/**
 * `<prefix>_answers_total{route,status,outcome}` and `<prefix>_answer_duration_seconds{route,outcome}`
 * (a histogram), read from the plain counts at scrape time.
 */
export function registerAnswerMetrics(registry: Registry, prefix: string, counts: AnswerCounts): void {
  registerComputedMetric(registry, {
    name: `${prefix}_answers_total`,
    help: 'Answered requests by route, status and outcome (redirect, fallback, not_modified, an error code, …)',
    type: 'counter',
    values: () =>
      counts.entries().map((e) => ({
        value: e.count,
        labels: { route: e.route, status: e.status, outcome: e.outcome },
      })),
  });
  const name = `${prefix}_answer_duration_seconds`;
  registerComputedMetric(registry, {
    name,
    help: 'Time from the request reaching the route to its answer, by route and outcome',
    type: 'histogram',
    values: () => {
      const values: MetricValue[] = [];
      for (const e of counts.entries()) {
        const labels = { route: e.route, outcome: e.outcome, status: e.status };
        let cumulative = 0;
        LATENCY_BUCKETS.forEach((le, i) => {
          cumulative += e.buckets[i] as number;
          values.push({ metricName: `${name}_bucket`, labels: { ...labels, le }, value: cumulative });
        });
        values.push({ metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: e.count });
        values.push({ metricName: `${name}_sum`, labels, value: e.sumSeconds });
        values.push({ metricName: `${name}_count`, labels, value: e.count });
      }
      return values;
    },
  });
}
