import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type DatabaseHandle, openDatabase } from '@avtrz/db/client';
import { type EmbeddedPostgres, freePort, startEmbeddedPostgres } from '@avtrz/db/embedded';
import { migrateToLatest } from '@avtrz/db/migrate';
import { loadConfig } from '@avtrz/shared/config';
import type { RunningServer } from '@avtrz/shared/http/serve';
import { createLogger } from '@avtrz/shared/logger';
import { startApiServer } from '../src/server.ts';
import { eventually } from './support/metering.ts';
import { seedKey, seedProfileWithoutPhoto, seedWorkspace } from './support/seed.ts';

// The hosts of a key's requests travel with its usage batches (CONTRACT §3, §6, §7): PostgreSQL stops
// under load and comes back; the API keeps answering from memory, and when it has stopped cleanly
// every request is in traffic_hosts exactly once, under the host it came from.
// This file runs its own durable PostgreSQL: the shared test server is never stopped.
let dir: string;
let port: number;
let postgres: EmbeddedPostgres | undefined;
let database: DatabaseHandle;
let api: RunningServer | undefined;

const startPostgres = async () => {
  postgres = await startEmbeddedPostgres({ dataDir: dir, port, persistent: true, unsafeFast: false });
  return postgres;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'avtrz-traffic-restart-'));
  port = await freePort();
  const server = await startPostgres();
  database = openDatabase(server.url, { applicationName: 'avtrz-traffic-restart-test' });
  await migrateToLatest(database.db, server.url);
  const config = loadConfig({
    DATABASE_URL: server.url,
    DATA_DIR: join(dir, 'data'),
    USAGE_FLUSH_MS: '200',
    LOG_LEVEL: 'silent',
  });
  const logger = createLogger({ name: 'api-test', level: process.env.AVTRZ_TEST_LOG ?? 'silent', pretty: false });
  api = await startApiServer(
    { config, database: openDatabase(server.url, { applicationName: 'avtrz-api' }), logger },
    0,
  );
}, 60_000);
afterAll(async () => {
  await api?.close();
  await database?.close();
  await postgres?.stop();
  await rm(dir, { recursive: true, force: true });
}, 60_000);

test('hosts counted while the database is down are written when it returns, each request once', async () => {
  const workspaceId = await seedWorkspace(database.db);
  const key = await seedKey(database.db, workspaceId, 'publishable', { allowedDomains: ['site.example'] });
  await seedProfileWithoutPhoto(database.db, 'alex-rivera');

  // Where each request comes from, by source and host, and what the API answered.
  const pages: [string, Record<string, string>, number][] = [
    ['host site.example', { origin: 'https://site.example' }, 200],
    ['host site.example', { referer: 'https://site.example/team' }, 200],
    ['host leak.example', { referer: 'https://leak.example/' }, 401],
    ['none', {}, 401],
  ];
  const sent = new Map<string, { requests: number; blocked: number }>();
  let unexpected = 0;
  let down = 0;
  let phase: 'before' | 'down' | 'after' = 'before';
  let sending = true;
  const send = async (i: number) => {
    const [source, headers, status] = pages[i % pages.length]!;
    const res = await fetch(`${api?.url}/v1/avatar?username=alex-rivera&key=${key.key}`, { headers });
    await res.arrayBuffer();
    if (res.status !== status) unexpected++;
    const counts = sent.get(source) ?? { requests: 0, blocked: 0 };
    counts.requests++;
    if (status === 401) counts.blocked++;
    sent.set(source, counts);
    if (phase === 'down') down++;
  };
  const written = async () => {
    const rows = await database.db
      .selectFrom('traffic_hosts')
      .select((eb) => [
        'source',
        'host',
        eb.fn.sum<number>('requests').as('requests'),
        eb.fn.sum<number>('blocked').as('blocked'),
      ])
      .where('key_id', '=', key.id)
      .groupBy(['source', 'host'])
      .execute();
    return new Map(
      rows.map((r) => [
        r.source === 'host' ? `host ${r.host}` : r.source,
        { requests: Number(r.requests), blocked: Number(r.blocked) },
      ]),
    );
  };
  const load = Promise.all(
    [0, 1].map(async (client) => {
      for (let i = client; sending; i += 2) {
        await send(i);
        await new Promise((r) => setTimeout(r, 5));
      }
    }),
  );
  await new Promise((r) => setTimeout(r, 700));
  await postgres?.stop();
  phase = 'down';
  await new Promise((r) => setTimeout(r, 2500));
  await startPostgres();
  phase = 'after';
  await new Promise((r) => setTimeout(r, 700));
  sending = false;
  await load;

  expect(unexpected).toBe(0);
  expect(down).toBeGreaterThan(50);
  await eventually(async () => {
    const now = await written().catch(() => undefined);
    return now !== undefined && JSON.stringify([...now].sort()) === JSON.stringify([...sent].sort());
  }, 20_000);
  // And nothing more arrives later (no batch counted twice).
  await new Promise((r) => setTimeout(r, 600));
  expect(await written()).toEqual(sent);

  // A clean stop writes what is still held: one more request from each page, then stop at once.
  for (let i = 0; i < pages.length; i++) await send(i);
  await api?.close();
  api = undefined;
  expect(await written()).toEqual(sent);
}, 60_000);
