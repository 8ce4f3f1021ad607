import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort } from '@avtrz/db/embedded';
import { useTestDatabase } from '@avtrz/db/testing';
import { createImageStorage } from '@avtrz/shared/storage/create-image-storage';
import { type ApiProcess, eventually, startApiProcess } from './support/metering.ts';
import {
  type SeededKey,
  seedKey,
  seedProfileWithoutPhoto,
  seedResolvedProfile,
  seedWorkspace,
} from './support/seed.ts';

// CONTRACT §9: the API serves Prometheus metrics at GET /metrics on METRICS_PORT, never on the public
// port: answers by route, status and outcome, latency, caches, usage rows, rate-limit leases, the
// database pool, the process.
const database = useTestDatabase();
let api: ApiProcess;
let metricsUrl: string;
let key: SeededKey;
let etag128: string;
let storageDir: string;

beforeAll(async () => {
  storageDir = await mkdtemp(join(tmpdir(), 'avtrz-metrics-'));
  const photo = await seedResolvedProfile(
    database.db,
    await createImageStorage({ driver: 'fs', dir: storageDir }),
    'alex-rivera',
  );
  etag128 = `"${photo.variants.get(128)?.contentHash}"`;
  await seedProfileWithoutPhoto(database.db, 'no-photo-person');
  key = await seedKey(database.db, await seedWorkspace(database.db, { rateLimitPerMinute: 1000 }), 'secret');
  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  api = await startApiProcess(database.url, { METRICS_PORT: String(port), USAGE_FLUSH_MS: '200' });
}, 60_000);
afterAll(async () => {
  await api?.stop();
  await rm(storageDir, { recursive: true, force: true });
});

/** The value of one sample: `name{labels…} value`, labels given in any order. */
function sample(text: string, name: string, labels: Record<string, string | number> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1] as string, m[2] as string]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === String(v))) return Number(match[3]);
  }
  return undefined;
}

const scrape = async () => {
  const res = await fetch(metricsUrl);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
};

const get = async (query: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${api.url}/v1/avatar?${query}`, { headers, redirect: 'manual' });
  await res.arrayBuffer();
  return res.status;
};

describe('GET /metrics on METRICS_PORT', () => {
  test('answers are counted by route, status and outcome, with latency', async () => {
    const auth = { 'x-api-key': key.key };
    for (let i = 0; i < 3; i++) expect(await get('username=alex-rivera', auth)).toBe(302);
    for (let i = 0; i < 2; i++)
      expect(await get('username=alex-rivera', { ...auth, 'if-none-match': etag128 })).toBe(304);
    expect(await get('username=no-photo-person', auth)).toBe(200);
    expect(await get('username=alex-rivera&size=7', auth)).toBe(400);
    expect(await get('username=alex-rivera')).toBe(401);
    expect(await get('username=alex-rivera', { 'x-api-key': 'sk_live_not-a-key' })).toBe(401);

    const text = await scrape();
    const answers = (status: number, outcome: string) =>
      sample(text, 'avtrz_api_answers_total', { route: 'avatar', status, outcome });
    expect(answers(302, 'redirect')).toBe(3);
    expect(answers(304, 'not_modified')).toBe(2);
    expect(answers(200, 'fallback')).toBe(1);
    expect(answers(400, 'invalid_size')).toBe(1);
    expect(answers(401, 'missing_key')).toBe(1);
    expect(answers(401, 'invalid_key')).toBe(1);
    const latency = { route: 'avatar', outcome: 'redirect', status: 302 };
    expect(sample(text, 'avtrz_api_answer_duration_seconds_count', latency)).toBe(3);
    expect(sample(text, 'avtrz_api_answer_duration_seconds_bucket', { ...latency, le: '+Inf' })).toBe(3);
    expect(sample(text, 'avtrz_api_answer_duration_seconds_sum', latency)).toBeGreaterThan(0);
  });

  test('caches, usage rows, rate-limit leases, the pool and the process are there', async () => {
    // Every count written: rows written, none waiting.
    await eventually(async () => {
      const text = await scrape();
      return (
        (sample(text, 'avtrz_api_usage_rows_written_total') ?? 0) >= 1 &&
        sample(text, 'avtrz_api_usage_rows_waiting') === 0
      );
    });
    const text = await scrape();
    // One key lookup, then memory; the profiles likewise.
    expect(sample(text, 'avtrz_api_cache_requests_total', { cache: 'keys', result: 'miss' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'avtrz_api_cache_requests_total', { cache: 'keys', result: 'hit' })).toBeGreaterThanOrEqual(5);
    expect(sample(text, 'avtrz_api_cache_requests_total', { cache: 'profiles', result: 'hit' })).toBeGreaterThanOrEqual(
      4,
    );
    expect(sample(text, 'avtrz_api_cache_entries', { cache: 'profiles' })).toBe(2);
    expect(sample(text, 'avtrz_api_usage_batches_written_total')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'avtrz_api_rate_limit_claims_total')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'avtrz_api_rate_limit_tokens_leased_total')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'avtrz_db_pool_max_connections')).toBe(10);
    expect(sample(text, 'avtrz_db_pool_busy_connections')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'avtrz_db_queries_total')).toBeGreaterThan(0);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  });

  test('never on the public port; other paths on the metrics port are 404', async () => {
    expect((await fetch(`${api.url}/metrics`)).status).toBe(404);
    expect((await fetch(metricsUrl.replace('/metrics', '/'))).status).toBe(404);
  });

  test('METRICS_PORT=0 serves no metrics', async () => {
    const quiet = await startApiProcess(database.url, { METRICS_PORT: '0' });
    try {
      expect(await get('username=alex-rivera', { 'x-api-key': key.key })).toBe(302);
    } finally {
      await quiet.stop();
    }
    expect(quiet.stdoutLines().some((l) => l.includes('metrics listening'))).toBe(false);
    expect(api.stdoutLines().some((l) => l.includes('metrics listening'))).toBe(true);
  });
});
