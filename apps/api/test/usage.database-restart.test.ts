import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type DatabaseHandle, openDatabase } from '@avtrz/db/client';
import { type EmbeddedPostgres, freePort, startEmbeddedPostgres } from '@avtrz/db/embedded';
import { migrateToLatest } from '@avtrz/db/migrate';
import { getWorkspaceMonthUsage } from '@avtrz/db/queries/quotas.queries';
import { monthOf } from '@avtrz/shared/calendar';
import { loadConfig } from '@avtrz/shared/config';
import type { RunningServer } from '@avtrz/shared/http/serve';
import { createLogger } from '@avtrz/shared/logger';
import { startApiServer } from '../src/server.ts';
import { eventually, usageOfKey } from './support/metering.ts';
import { seedKey, seedProfileWithoutPhoto, seedWorkspace } from './support/seed.ts';

// CONTRACT §3 and §6: PostgreSQL stops in the middle of load and comes back on the same port; what the
// API answered meanwhile (from memory) is written when it returns. Nothing is lost or counted twice.
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
  dir = await mkdtemp(join(tmpdir(), 'avtrz-restart-'));
  port = await freePort();
  const server = await startPostgres();
  database = openDatabase(server.url, { applicationName: 'avtrz-restart-test' });
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

test('counts made while the database is down are written when it returns, exactly', async () => {
  const workspaceId = await seedWorkspace(database.db);
  const key = await seedKey(database.db, workspaceId, 'secret');
  for (const handle of ['alex-rivera', 'sam-lee']) await seedProfileWithoutPhoto(database.db, handle);

  const sent = { billable: 0, rejected: 0, other: 0 };
  let phase: 'before' | 'down' | 'after' = 'before';
  const inPhase = { before: 0, down: 0, after: 0 };
  let sending = true;
  const queries = ['username=alex-rivera', 'username=sam-lee&size=64', 'username=alex-rivera&size=3'];
  const load = Promise.all(
    [0, 1].map(async (client) => {
      for (let i = client; sending; i++) {
        const res = await fetch(`${api?.url}/v1/avatar?${queries[i % 3]}`, { headers: { 'x-api-key': key.key } });
        await res.arrayBuffer();
        if (res.status === 200) sent.billable++;
        else if (res.status === 400) sent.rejected++;
        else sent.other++;
        inPhase[phase]++;
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

  // Keys and profiles in memory kept being answered throughout.
  expect(sent.other).toBe(0);
  expect(inPhase.down).toBeGreaterThan(50);
  await eventually(async () => {
    const usage = await usageOfKey(database.db, key.id).catch(() => undefined);
    return usage?.billable === sent.billable && usage.rejected === sent.rejected;
  }, 20_000);
  // And nothing more arrives later (no batch counted twice).
  await new Promise((r) => setTimeout(r, 600));
  expect(await usageOfKey(database.db, key.id)).toEqual({
    billable: sent.billable,
    fallbacks: sent.billable,
    rejected: sent.rejected,
    notModified: 0,
    newProfiles: 2,
  });
  expect(await getWorkspaceMonthUsage(database.db, workspaceId, monthOf(new Date()))).toEqual({
    requests: sent.billable,
    newProfiles: 2,
  });
  console.info(
    `database restart: ${inPhase.before} answers before, ${inPhase.down} while down, ${inPhase.after} after; all ${sent.billable + sent.rejected} counted`,
  );
}, 60_000);
