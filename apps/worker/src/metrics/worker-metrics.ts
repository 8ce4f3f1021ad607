import type { WorkerEvents } from 'graphile-worker';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { RESOLVE_PROFILE_TASK } from '@avtrz/db/queries/profiles.queries';

/** Seconds: resolutions take from ~100 ms (a cached page) to the upstream timeout. */
const DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The worker's metric families (CONTRACT §9), fed by Graphile Worker's events (no hot path here):
 * jobs by task and outcome (success; retry: failed, will run again; failed: out of attempts), their
 * run time, and the resolution latency a first request waits for: from the job becoming runnable to
 * its end.
 */
export function createWorkerMetrics(events: WorkerEvents): Registry {
  const registry = new Registry();
  const jobs = new Counter({
    name: 'avtrz_worker_jobs_total',
    help: 'Jobs run, by task and outcome (success, retry, failed)',
    labelNames: ['task', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'avtrz_worker_job_duration_seconds',
    help: 'Time a job ran, by task and outcome',
    labelNames: ['task', 'outcome'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const resolution = new Histogram({
    name: 'avtrz_worker_resolution_latency_seconds',
    help: 'Profile resolution from the job becoming runnable to its end, by outcome',
    labelNames: ['outcome'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const running = new Gauge({
    name: 'avtrz_worker_jobs_running',
    help: 'Jobs running now',
    registers: [registry],
  });
  const startedAt = new Map<string, number>();

  events.on('job:start', ({ job }) => {
    startedAt.set(job.id, performance.now());
    running.inc();
  });
  events.on('job:complete', ({ job, error }) => {
    const started = startedAt.get(job.id);
    startedAt.delete(job.id);
    running.dec();
    const outcome = !error ? 'success' : job.attempts >= job.max_attempts ? 'failed' : 'retry';
    const labels = { task: job.task_identifier, outcome };
    jobs.inc(labels);
    if (started !== undefined) duration.observe(labels, (performance.now() - started) / 1000);
    if (job.task_identifier === RESOLVE_PROFILE_TASK)
      resolution.observe({ outcome }, Math.max(0, (Date.now() - new Date(job.run_at).getTime()) / 1000));
  });
  return registry;
}
