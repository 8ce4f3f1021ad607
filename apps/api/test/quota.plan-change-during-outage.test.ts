import { afterAll, beforeAll, expect, test } from 'vitest';
import { channels, notify } from '@avtrz/db/notify';
import { useTestDatabase } from '@avtrz/db/testing';
import { type CuttableProxy, startCuttableProxy } from '@avtrz/shared/testing/cuttable-proxy';
import { type ApiUnderTest, startApiUnderTest } from './support/api-under-test.ts';
import { seedProfileWithoutPhoto, seedKey, seedWorkspace } from './support/seed.ts';

// CONTRACT §3 and §6: a plan raised while a process was cut off from the database (its notification
// lost) is applied once the database returns, not when the refusals the process remembers expire
// (30 s) or the process restarts. The process re-reads the changes it missed, for its quotas as for
// its keys.
const database = useTestDatabase();
let proxy: CuttableProxy;
let api: ApiUnderTest;

beforeAll(async () => {
  proxy = await startCuttableProxy(database.url);
  // A key TTL far beyond the test: only the change listener can make the process see the change.
  api = await startApiUnderTest({ ...database, url: proxy.url }, { ownPool: true, env: { CACHE_TTL_MS: '600000' } });
  for (const handle of ['plan-first', 'plan-second', 'plan-third']) await seedProfileWithoutPhoto(database.db, handle);
});
afterAll(async () => {
  await api?.close();
  await proxy?.close();
});

const status = async (key: string, handle: string) => {
  const res = await api.request(`/v1/avatar?username=${handle}`, { headers: { 'x-api-key': key } });
  await res.arrayBuffer();
  return res.status;
};

async function within(ms: number, check: () => Promise<boolean>): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** As the admin API's updatePlan does: the write and its notification in one transaction. */
async function raisePlan(workspaceId: string): Promise<void> {
  await database.db.transaction().execute(async (trx) => {
    await trx.updateTable('workspaces').set({ monthly_new_profile_quota: 100 }).where('id', '=', workspaceId).execute();
    await notify(trx, channels.workspaces, workspaceId);
  });
}

test('a new-profile quota raised while the process was cut off is applied within 2 s of its return', async () => {
  const workspaceId = await seedWorkspace(database.db, { monthlyNewProfileQuota: 1 });
  const key = await seedKey(database.db, workspaceId, 'secret');
  expect(await status(key.key, 'plan-first')).toBe(200);
  // Refused, and remembered as refused.
  expect(await status(key.key, 'plan-second')).toBe(402);

  proxy.cut();
  // Long enough for the process to notice, and for its driver to give up re-subscribing by itself.
  await new Promise((r) => setTimeout(r, 4000));
  await raisePlan(workspaceId);
  // Cut off, the process still answers from memory: the refusal holds.
  expect(await status(key.key, 'plan-second')).toBe(402);

  await proxy.restore();
  await within(2000, async () => (await status(key.key, 'plan-second')) === 200);
});

test('a plan raised right after the database returns is applied too', async () => {
  const workspaceId = await seedWorkspace(database.db, { monthlyNewProfileQuota: 0 });
  const key = await seedKey(database.db, workspaceId, 'secret');
  expect(await status(key.key, 'plan-third')).toBe(402);
  proxy.cut();
  await new Promise((r) => setTimeout(r, 4000));
  await proxy.restore();
  await raisePlan(workspaceId);
  await within(2000, async () => (await status(key.key, 'plan-third')) === 200);
});
