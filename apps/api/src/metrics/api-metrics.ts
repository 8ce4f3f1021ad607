import { Registry } from 'prom-client';
import { registerAnswerMetrics } from '@avtrz/shared/metrics/answer-metrics';
import { type AnswerCounts, createAnswerCounts } from '@avtrz/shared/metrics/answer-counts';
import { registerComputedMetric } from '@avtrz/shared/metrics/custom-metric';
import type { CacheStats } from '../cache/loading-cache.ts';
import type { MeteringStats } from '../metering/metering.ts';

export interface ApiMetrics {
  readonly registry: Registry;
  /** Counted by each route's observation (http/access-log.ts). */
  readonly answers: AnswerCounts;
}

interface Sources {
  readonly caches: Readonly<Record<'keys' | 'profiles', { readonly stats: CacheStats; readonly size: number }>>;
  readonly metering: { readonly stats: MeteringStats };
}

/**
 * The API's metric families (CONTRACT §9), every one read at scrape time from plain counters the
 * hot path increments: answers and latency, cache hits and misses, usage rows, rate-limit leases.
 */
export function createApiMetrics(sources: Sources): ApiMetrics {
  const registry = new Registry();
  const answers = createAnswerCounts();
  registerAnswerMetrics(registry, 'avtrz_api', answers);

  const caches = Object.entries(sources.caches);
  registerComputedMetric(registry, {
    name: 'avtrz_api_cache_requests_total',
    help: 'In-memory cache lookups by cache (keys, profiles) and result (hit, miss: loaded from the database)',
    type: 'counter',
    values: () =>
      caches.flatMap(([cache, c]) => [
        { labels: { cache, result: 'hit' }, value: c.stats.hits },
        { labels: { cache, result: 'miss' }, value: c.stats.misses },
      ]),
  });
  registerComputedMetric(registry, {
    name: 'avtrz_api_cache_load_failures_total',
    help: 'Cache loads the database did not answer (a stale entry is served meanwhile)',
    type: 'counter',
    values: () => caches.map(([cache, c]) => ({ labels: { cache }, value: c.stats.loadFailures })),
  });
  registerComputedMetric(registry, {
    name: 'avtrz_api_cache_entries',
    help: 'Entries held by each in-memory cache',
    type: 'gauge',
    values: () => caches.map(([cache, c]) => ({ labels: { cache }, value: c.size })),
  });

  const { stats } = sources.metering;
  const counter = (name: string, help: string, read: () => number) =>
    registerComputedMetric(registry, { name, help, type: 'counter', values: () => [{ value: read() }] });
  const gauge = (name: string, help: string, read: () => number) =>
    registerComputedMetric(registry, { name, help, type: 'gauge', values: () => [{ value: read() }] });
  counter('avtrz_api_usage_rows_written_total', 'Usage rows (key, hour) written', () => stats.usage.rowsWritten);
  counter('avtrz_api_usage_batches_written_total', 'Usage batches written', () => stats.usage.batchesWritten);
  counter(
    'avtrz_api_usage_write_failures_total',
    'Usage batches the database did not take (kept and retried)',
    () => stats.usage.writeFailures,
  );
  gauge('avtrz_api_usage_rows_waiting', 'Usage rows held in memory, not yet written', () => stats.pendingUsageRows);
  const rate = stats.rateLimits;
  counter('avtrz_api_rate_limit_claims_total', 'Rate-limit lease statements sent', () => rate.claims);
  counter(
    'avtrz_api_rate_limit_claim_failures_total',
    'Rate-limit lease statements that failed',
    () => rate.claimFailures,
  );
  counter('avtrz_api_rate_limit_tokens_requested_total', 'Rate-limit tokens asked for', () => rate.tokensRequested);
  counter(
    'avtrz_api_rate_limit_tokens_leased_total',
    'Rate-limit tokens granted to this process',
    () => rate.tokensLeased,
  );
  counter('avtrz_api_rate_limit_refused_total', 'Requests refused for the rate limit (429)', () => rate.refused);
  counter(
    'avtrz_api_rate_limit_accepted_on_credit_total',
    'Requests accepted before this process held a lease for them',
    () => rate.acceptedOnCredit,
  );
  gauge('avtrz_api_rate_limit_keys', 'Keys with a rate-limit window in memory', () => rate.keys);
  return { registry, answers };
}
