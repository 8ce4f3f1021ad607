import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort } from '@avtrz/db/embedded';
import { useTestDatabase } from '@avtrz/db/testing';
import { createFsStorage } from '@avtrz/shared/storage/fs-storage';
import { startCuttableProxy, type CuttableProxy } from '@avtrz/shared/testing/cuttable-proxy';
import { revokeKey, seedKey, seedResolvedProfile, seedWorkspace } from './support/seed.ts';

// CONTRACT §6: if PostgreSQL goes away, keys and profiles already in memory keep being answered; the
// process reconnects by itself. Run as production runs it: `node apps/api/src/main.ts`, its own process.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const database = useTestDatabase();
let proxy: CuttableProxy;
let dataDir: string;
let child: ChildProcess;
let exited: Promise<number | null>;
let output = '';
let url: string;

beforeAll(async () => {
  proxy = await startCuttableProxy(database.url);
  dataDir = await mkdtemp(join(tmpdir(), 'avtrz-outage-'));
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ['apps/api/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: proxy.url,
      API_PORT: String(port),
      DATA_DIR: dataDir,
      CACHE_TTL_MS: '200',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  await within(20_000, () =>
    fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    ),
  );
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await proxy?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function within(ms: number, check: () => Promise<boolean>): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const status = (path: string, key: string) =>
  fetch(`${url}${path}`, { headers: { 'x-api-key': key }, redirect: 'manual' }).then(async (res) => {
    await res.arrayBuffer();
    return res.status;
  });

test('while the database is unreachable, what is in memory is served; it recovers by itself and stops cleanly', async () => {
  const key = await seedKey(database.db, await seedWorkspace(database.db), 'secret');
  await seedResolvedProfile(database.db, createFsStorage(join(dataDir, 'images')), 'outage-profile');
  const path = '/v1/avatar?username=outage-profile';
  expect(await status(path, key.key)).toBe(302);
  // Let what the first answer set off (usage, the month's first sight of the profile) reach the database.
  await new Promise((r) => setTimeout(r, 1500));

  proxy.cut();
  // Past the TTL: the entries are stale, reloading them fails, and the stale ones are served.
  await new Promise((r) => setTimeout(r, 500));
  for (let i = 0; i < 10; i++) expect(await status(path, key.key)).toBe(302);
  // What it never saw cannot be answered correctly: a clear 503 (never a wrong answer, never a crash).
  const unknown = await fetch(`${url}/v1/avatar?username=never-seen-here`, { headers: { 'x-api-key': key.key } });
  expect(unknown.status).toBe(503);
  expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('service_unavailable');
  const image = await fetch(`${url}/v1/avatar?username=never-seen-here`, {
    headers: { 'x-api-key': key.key, 'sec-fetch-dest': 'image' },
  });
  expect(image.headers.get('content-type')).toBe('image/svg+xml');
  await image.arrayBuffer();

  await proxy.restore();
  // Back: a revocation made now reaches the process (listener re-subscribed, caches reloaded).
  await revokeKey(database.db, key.id);
  await within(12_000, async () => (await status(path, key.key)) === 401);

  expect(child.exitCode).toBeNull();
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
});
