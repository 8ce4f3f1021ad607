import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type DatabaseHandle, openDatabase } from '@avtrz/db/client';
import { type EmbeddedPostgres, freePort, startEmbeddedPostgres } from '@avtrz/db/embedded';
import { migrateToLatest } from '@avtrz/db/migrate';
import { type FakeLinkedin, startFakeLinkedin } from '@avtrz/shared/testing/fake-linkedin';
import { type Answer, type AppProcess, get, startApp, startLoad, until } from './_fault-harness.ts';

// CONTRACT §2 and §6 through a real database outage: two API processes, the admin API and a worker,
// each its own process, on a PostgreSQL that is stopped for 5 s under bounded load and started again
// on the same port. Every promise is checked from the outside, as a user would see it.
const OPERATOR_TOKEN = 'fault-suite-operator-token';
const OUTAGE_MS = 5_000;
const RATE_LIMIT = 2_400; // per minute; the load below stays under half of it
const PROFILES = ['ada-lovelace', 'grace-hopper', 'alan-turing'];

let dataDir: string;
let pgPort: number;
let pg: EmbeddedPostgres;
let database: DatabaseHandle;
let fake: FakeLinkedin;
const apps: AppProcess[] = [];
let apis: string[] = [];
let admin: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'avtrz-fault-'));
  // Run as root, the embedded server runs as the `postgres` user, which must reach its folder.
  await chmod(dataDir, 0o755);
  pgPort = await freePort();
  pg = await startPostgres();
  database = openDatabase(pg.url, { max: 2, applicationName: 'avtrz-fault-suite' });
  await migrateToLatest(database.db, pg.url);
  fake = await startFakeLinkedin({ defaultProfile: { kind: 'photo' } });

  const ports = await Promise.all([freePort(), freePort(), freePort()]);
  const env = {
    DATABASE_URL: pg.url,
    DATA_DIR: join(dataDir, 'shared'),
    OPERATOR_TOKEN,
    LINKEDIN_BASE_URL: fake.baseUrl,
    UPSTREAM_IMAGE_HOSTS: fake.imageHost,
    UPSTREAM_ALLOW_PRIVATE: 'true',
    USAGE_FLUSH_MS: '250',
  };
  apps.push(
    startApp('api-1', 'apps/api/src/main.ts', { ...env, API_PORT: String(ports[0]) }),
    startApp('api-2', 'apps/api/src/main.ts', { ...env, API_PORT: String(ports[1]) }),
    startApp('admin', 'apps/admin-graphql/src/main.ts', { ...env, ADMIN_PORT: String(ports[2]) }),
    startApp('worker', 'apps/worker/src/main.ts', env),
  );
  apis = [`http://127.0.0.1:${ports[0]}`, `http://127.0.0.1:${ports[1]}`];
  admin = `http://127.0.0.1:${ports[2]}`;
  for (const url of [...apis, admin]) {
    await until(async () => (await get(`${url}/readyz`)).status === 200, 30_000, `${url} ready\n${outputs()}`);
  }
}, 90_000);

afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop()));
  await database?.close();
  await pg?.stop();
  await fake?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function startPostgres(): Promise<EmbeddedPostgres> {
  return startEmbeddedPostgres({ dataDir: join(dataDir, 'db'), port: pgPort, unsafeFast: true, persistent: true });
}

function outputs(): string {
  return apps.map((app) => `--- ${app.name} (${app.alive() ? 'running' : 'exited'})\n${app.output()}`).join('\n');
}

async function graphql<T>(query: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  const response = await fetch(`${admin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(5000),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!body.data || body.errors) throw new Error(`GraphQL failed (${response.status}): ${JSON.stringify(body)}`);
  return body.data;
}

async function createKeys() {
  const created = await graphql<{ createWorkspace: { key: string; apiKey: { id: string } } }>(
    'mutation ($input: CreateWorkspaceInput!) { createWorkspace(input: $input) { key apiKey { id } } }',
    { input: { name: 'Fault suite', plan: { rateLimitPerMinute: RATE_LIMIT } } },
    { authorization: `Bearer ${OPERATOR_TOKEN}` },
  );
  const secret = created.createWorkspace.key;
  const second = await graphql<{ createApiKey: { key: string; apiKey: { id: string } } }>(
    'mutation { createApiKey(input: { type: SECRET, name: "to revoke" }) { key apiKey { id } } }',
    {},
    { 'x-api-key': secret },
  );
  return {
    load: { key: secret, id: created.createWorkspace.apiKey.id },
    revoked: { key: second.createApiKey.key, id: second.createApiKey.apiKey.id },
  };
}

const avatar = (api: string, handle: string) => `${api}/v1/avatar?username=${handle}`;
const billable = (a: Answer) => a.status === 302 || a.status === 200;

async function storedBillable(keyId: string): Promise<number> {
  const [row] = await database.sql<{ n: number }[]>`
    select coalesce(sum(billable), 0)::int as n from usage_hourly where key_id = ${keyId}`;
  return row?.n ?? 0;
}

test('a database stopped under load and started again breaks no promise', { timeout: 110_000 }, async () => {
  const keys = await createKeys();
  const answered: Answer[] = [];

  // Every profile resolved by the worker and held by both API processes, with both keys.
  for (const handle of PROFILES) {
    await until(
      async () => {
        const answer = await get(avatar(apis[0]!, handle), { 'x-api-key': keys.load.key });
        answered.push(answer);
        return answer.status === 302;
      },
      20_000,
      `${handle} resolved\n${outputs()}`,
    );
    for (const api of apis) {
      for (const key of [keys.load.key, keys.revoked.key]) {
        const answer = await get(avatar(api, handle), { 'x-api-key': key });
        if (key === keys.load.key) answered.push(answer);
        expect(answer.status).toBe(302);
      }
    }
  }

  // Bounded load on both processes: 4 clients, one request at a time each, ~60 ms apart.
  const load = startLoad(
    (i) => ({ url: avatar(apis[i % 2]!, PROFILES[i % PROFILES.length]!), headers: { 'x-api-key': keys.load.key } }),
    { clients: 4, pauseMs: 60 },
  );
  await new Promise((r) => setTimeout(r, 2000));

  await pg.stop();
  const stoppedAt = Date.now();
  const readiness: Array<Answer & { api: number }> = [];
  let polling = true;
  const readinessPolls = apis.map(async (api, index) => {
    while (polling) {
      readiness.push({ ...(await get(`${api}/readyz`, {}, 3000)), api: index });
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  await new Promise((r) => setTimeout(r, OUTAGE_MS));
  pg = await startPostgres();
  const backAt = Date.now();

  // Revocation right after the restart (its notification may reach a process not listening yet).
  let revokedAt = 0;
  await until(
    async () => {
      try {
        await graphql(
          'mutation ($id: ID!) { revokeApiKey(id: $id) { revokedAt } }',
          { id: keys.revoked.id },
          {
            'x-api-key': keys.load.key,
          },
        );
        revokedAt = Date.now();
        return true;
      } catch {
        return false;
      }
    },
    10_000,
    `the admin API revokes a key after the restart\n${outputs()}`,
    100,
  );
  const revocationMs = await Promise.all(
    apis.map((api) =>
      until(
        async () => (await get(avatar(api, PROFILES[0]!), { 'x-api-key': keys.revoked.key })).status === 401,
        4_000,
        `revocation seen by ${api}\n${outputs()}`,
        25,
      ),
    ),
  );

  // A profile nobody asked for before: the worker resolves it once the database is back.
  const fresh = 'new-after-outage';
  const freshMs = await until(
    async () => {
      const answer = await get(avatar(apis[1]!, fresh), { 'x-api-key': keys.load.key });
      answered.push(answer);
      return answer.status === 302;
    },
    10_000 - (Date.now() - backAt),
    `a new profile resolved within 10 s of the database's return\n${outputs()}`,
    100,
  );

  await until(
    () => apis.every((_, index) => readiness.some((r) => r.api === index && r.at > backAt && r.status === 200)),
    5_000 - (Date.now() - backAt),
    'every API ready within 5 s of the return',
  );
  polling = false;
  await Promise.all(readinessPolls);
  await new Promise((r) => setTimeout(r, 1000));
  await load.stop();
  answered.push(...load.answers);

  // Nothing failed, and every answer of the load was the cached photo, during the outage too.
  expect(load.answers.length).toBeGreaterThan(100);
  expect(answered.filter((a) => a.status >= 500 || a.status === 0)).toEqual([]);
  expect(load.answers.filter((a) => a.status === 429)).toEqual([]);
  expect(load.answers.filter((a) => a.status !== 302)).toEqual([]);
  expect(load.answers.filter((a) => a.at > stoppedAt && a.at < backAt).length).toBeGreaterThan(20);
  // Revocation on every process within 2 s of the admin's answer.
  expect(Math.max(...revocationMs), `revocation took ${revocationMs.join(', ')} ms`).toBeLessThanOrEqual(2000);
  expect(revokedAt).toBeGreaterThan(backAt);
  // /readyz: 503 within 1 s of the stop, every answer during the outage within 1 s.
  const during = readiness.filter((r) => r.at >= stoppedAt + 1000 && r.at + r.ms < backAt);
  for (const index of [0, 1]) expect(during.filter((r) => r.api === index).length).toBeGreaterThan(5);
  expect(during.filter((r) => r.status !== 503 || r.ms >= 1000)).toEqual([]);

  // Usage: what the database holds is exactly what was answered, once every process has flushed.
  const expected = answered.filter(billable).length;
  await until(async () => (await storedBillable(keys.load.id)) >= expected, 10_000, 'usage flushed').catch(() => {});
  expect(await storedBillable(keys.load.id)).toBe(expected);

  const firstAfter = (index: number, status: number, from: number) =>
    (readiness.find((r) => r.api === index && r.at >= from && r.status === status)?.at ?? NaN) - from;
  console.info(
    `fault suite: ${load.answers.length} answers under load (${load.answers.filter((a) => a.at > stoppedAt && a.at < backAt).length} during the ${OUTAGE_MS} ms outage), ` +
      `revocation seen in ${revocationMs.join(' / ')} ms, new profile resolved ${Math.round(revokedAt - backAt + freshMs)} ms after the return, ` +
      `/readyz 503 after ${[0, 1].map((i) => firstAfter(i, 503, stoppedAt)).join(' / ')} ms, 200 again after ${[0, 1].map((i) => firstAfter(i, 200, backAt)).join(' / ')} ms, ` +
      `slowest /readyz during the outage ${Math.max(...during.map((r) => r.ms))} ms, usage ${expected} = stored`,
  );

  // Every process lived through it, and stops cleanly.
  expect(apps.filter((app) => !app.alive()).map((app) => app.name)).toEqual([]);
  for (const app of apps) expect(await app.stop(), `${app.name}\n${app.output()}`).toBe(0);
});
