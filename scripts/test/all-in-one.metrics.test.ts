import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort } from '@avtrz/db/embedded';
import { requestProfileResolution } from '@avtrz/db/queries/profiles.queries';
import { useTestDatabase } from '@avtrz/db/testing';
import { type FakeLinkedin, startFakeLinkedin } from '@avtrz/shared/testing/fake-linkedin';
import { type StartedProcess, startAllInOne } from './_start-all-process.ts';

// CONTRACT §9: the all-in-one start serves all three apps' metrics on the API's metrics port.
const database = useTestDatabase();
let dataDir: string;
let fake: FakeLinkedin;
let started: StartedProcess;
let ports: { api: number; admin: number; metrics: number };

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'avtrz-start-metrics-'));
  fake = await startFakeLinkedin();
  ports = { api: await freePort(), admin: await freePort(), metrics: await freePort() };
  started = startAllInOne({
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    API_PORT: String(ports.api),
    ADMIN_PORT: String(ports.admin),
    METRICS_PORT: String(ports.metrics),
    LINKEDIN_BASE_URL: fake.baseUrl,
    UPSTREAM_IMAGE_HOSTS: fake.imageHost,
    UPSTREAM_ALLOW_PRIVATE: 'true',
  });
  await started.waitForLog((l) => l.msg === 'worker running');
}, 60_000);
afterAll(async () => {
  started?.child.kill('SIGTERM');
  await started?.exited;
  await fake?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const scrape = async () => (await fetch(`http://127.0.0.1:${ports.metrics}/metrics`)).text();

test('the API, the admin API and the worker on one metrics port, with the process and the pool once', async () => {
  fake.setProfile('alex-rivera', { kind: 'photo' });
  expect((await fetch(`http://127.0.0.1:${ports.api}/v1/avatar?username=alex-rivera`)).status).toBe(401);
  const graphql = await fetch(`http://127.0.0.1:${ports.admin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  await graphql.arrayBuffer();
  await requestProfileResolution(database.db, 'alex-rivera');

  let text = '';
  const deadline = Date.now() + 20_000;
  while (!/avtrz_worker_jobs_total\{task="resolve_profile",outcome="success"\} 1/.test(text)) {
    if (Date.now() > deadline) throw new Error(`the resolution was not counted:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
    text = await scrape();
  }
  expect(text).toMatch(/^avtrz_api_answers_total\{route="avatar",status="401",outcome="missing_key"\} 1$/m);
  expect(text).toMatch(new RegExp(`^avtrz_admin_answers_total\\{route="graphql",status="${graphql.status}",`, 'm'));
  expect(text).toMatch(/^avtrz_worker_resolution_latency_seconds_count\{outcome="success"\} 1$/m);
  expect(text).toMatch(/^avtrz_worker_job_duration_seconds_count\{task="resolve_profile",outcome="success"\} 1$/m);
  expect(text.match(/^# TYPE process_resident_memory_bytes /gm)).toHaveLength(1);
  expect(text.match(/^# TYPE avtrz_db_pool_busy_connections /gm)).toHaveLength(1);
  // No port of its own for the admin API's or the worker's metrics.
  expect(started.logs.filter((l) => l.msg === 'metrics listening')).toHaveLength(1);

  // The Grafana dashboard in infra/ reads only metrics that are served.
  const dashboard = JSON.parse(
    await readFile(new URL('../../infra/grafana/avtrz-dashboard.json', import.meta.url), 'utf8'),
  ) as { panels: { targets?: { expr: string }[] }[] };
  const read = new Set(
    dashboard.panels
      .flatMap((panel) => panel.targets ?? [])
      .flatMap((target) => [...target.expr.matchAll(/\b((?:avtrz|process|nodejs)_[a-z0-9_]+)\b/g)].map((m) => m[1])),
  );
  expect(read.size).toBeGreaterThan(20);
  const served = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
  const missing = [...read].filter(
    (name) => !served.has(name) && !served.has(name?.replace(/_(bucket|sum|count)$/, '')),
  );
  expect(missing).toEqual([]);
});
