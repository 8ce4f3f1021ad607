import { afterAll, beforeAll, expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { type ApiUnderTest, startApiUnderTest } from './support/api-under-test.ts';
import { type CuttableProxy, startCuttableProxy } from '@avtrz/shared/testing/cuttable-proxy';
import { revokeKey, seedKey, seedProfileWithoutPhoto, seedResolvedProfile, seedWorkspace } from './support/seed.ts';

// CONTRACT §2: revocation reaches every process within 2 s, also when the process was cut off from the
// database as it happened. Its notification is lost then; the process re-reads what it missed.
const database = useTestDatabase();
let proxy: CuttableProxy;
let api: ApiUnderTest;

beforeAll(async () => {
  proxy = await startCuttableProxy(database.url);
  // A TTL far beyond the test: only the change listener can make the process see the changes.
  api = await startApiUnderTest({ ...database, url: proxy.url }, { ownPool: true, env: { CACHE_TTL_MS: '600000' } });
});
afterAll(async () => {
  await api?.close();
  await proxy?.close();
});

const status = (path: string, key: string) =>
  api.request(path, { headers: { 'x-api-key': key } }).then(async (res) => {
    await res.arrayBuffer();
    return res.status;
  });

async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return Date.now() - started;
}

test('changes made while a process was cut off reach it within 2 s of its return', async () => {
  const workspace = await seedWorkspace(database.db);
  const revoked = await seedKey(database.db, workspace, 'secret');
  const kept = await seedKey(database.db, workspace, 'secret');
  await seedResolvedProfile(database.db, api.storage, 'missed-change');
  const path = '/v1/avatar?username=missed-change';
  expect(await status(path, revoked.key)).toBe(302);
  expect(await status(path, kept.key)).toBe(302);

  proxy.cut();
  // Long enough for the process to notice, and for its driver to give up re-subscribing by itself.
  await new Promise((r) => setTimeout(r, 4000));
  await revokeKey(database.db, revoked.id);
  await seedProfileWithoutPhoto(database.db, 'missed-change');
  // Cut off, it still answers from memory.
  expect(await status(path, kept.key)).toBe(302);

  await proxy.restore();
  await within(2000, async () => (await status(path, revoked.key)) === 401);
  await within(2000, async () => (await status(path, kept.key)) === 200);
});

test('changes sent right after the database returns are not lost either', async () => {
  const workspace = await seedWorkspace(database.db);
  const key = await seedKey(database.db, workspace, 'secret');
  await seedResolvedProfile(database.db, api.storage, 'after-return');
  const path = '/v1/avatar?username=after-return';
  expect(await status(path, key.key)).toBe(302);
  proxy.cut();
  await new Promise((r) => setTimeout(r, 1500));
  await proxy.restore();
  await revokeKey(database.db, key.id);
  await within(2000, async () => (await status(path, key.key)) === 401);
});
