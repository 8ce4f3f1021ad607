import { afterAll, beforeAll, expect, test } from 'vitest';
import { getWorkspaceMonthUsage } from '@avtrz/db/queries/quotas.queries';
import { useTestDatabase } from '@avtrz/db/testing';
import { monthOf } from '@avtrz/shared/calendar';
import { type ApiUnderTest, startApiUnderTest } from './support/api-under-test.ts';
import { eventually, usageOfKey } from './support/metering.ts';
import { seedKey, seedProfileWithoutPhoto, seedWorkspace } from './support/seed.ts';

// CONTRACT §3: usage is recorded exactly. A usage batch the database refuses (here: cancelled while it
// waits, as a deadlock victim or a statement timeout would be) keeps its counts for the next try; a batch
// the process gave up waiting for that commits after all is not counted again when it is resent.
const database = useTestDatabase();
let api: ApiUnderTest;

beforeAll(async () => {
  api = await startApiUnderTest(database, { ownPool: true, env: { USAGE_FLUSH_MS: '100' } });
  await seedProfileWithoutPhoto(database.db, 'flush-failure');
});
afterAll(async () => {
  await api?.close();
});

async function answer(key: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const res = await api.request('/v1/avatar?username=flush-failure', { headers: { 'x-api-key': key } });
    await res.arrayBuffer();
    expect(res.status).toBe(200);
  }
}

/** Holds usage_hourly locked against writes (reads go on) until the returned function is called. */
async function lockUsageWrites(): Promise<() => Promise<void>> {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let locked = () => {};
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const transaction = database.sql.begin(async (tx) => {
    await tx`lock table usage_hourly in exclusive mode`;
    locked();
    await held;
  });
  await isLocked;
  return async () => {
    release();
    await transaction;
  };
}

/** The API's usage statements waiting on a lock right now. */
async function waitingFlushes(): Promise<number[]> {
  const rows = await database.sql<{ pid: number }[]>`
    select pid from pg_stat_activity
    where datname = current_database() and application_name = 'avtrz-api-test'
      and wait_event_type = 'Lock' and query like '%insert into usage_batches%'`;
  return rows.map((r) => r.pid);
}

async function exactly(keyId: string, workspaceId: string, billable: number): Promise<void> {
  await eventually(async () => (await usageOfKey(database.db, keyId)).billable >= billable);
  // A few more flush intervals: nothing arrives twice.
  await new Promise((r) => setTimeout(r, 500));
  expect(await usageOfKey(database.db, keyId)).toEqual({
    billable,
    fallbacks: billable,
    notModified: 0,
    newProfiles: 1,
    rejected: 0,
  });
  expect(await getWorkspaceMonthUsage(database.db, workspaceId, monthOf(new Date()))).toEqual({
    requests: billable,
    newProfiles: 1,
  });
}

test('a batch the database fails is sent again with what came meanwhile: every count once', async () => {
  const workspaceId = await seedWorkspace(database.db);
  const key = await seedKey(database.db, workspaceId, 'secret');
  await answer(key.key, 5);
  await eventually(async () => (await usageOfKey(database.db, key.id)).billable === 5);

  const unlock = await lockUsageWrites();
  try {
    await answer(key.key, 4);
    // Each try of the batch waits on the lock and is cancelled: an error from the database, twice.
    for (let cancelled = 0; cancelled < 2;) {
      const [pid] = await waitingFlushes();
      if (pid === undefined) {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      const [row] = await database.sql<{ ok: boolean }[]>`select pg_cancel_backend(${pid}) as ok`;
      if (row?.ok) cancelled++;
      await answer(key.key, 1);
    }
  } finally {
    await unlock();
  }
  await answer(key.key, 3);
  await exactly(key.id, workspaceId, 5 + 4 + 2 + 3);
});

test('a batch that commits after the process stopped waiting for it is not counted again when resent', async () => {
  const workspaceId = await seedWorkspace(database.db);
  const key = await seedKey(database.db, workspaceId, 'secret');
  const unlock = await lockUsageWrites();
  try {
    await answer(key.key, 6);
    // The first statement waits past the process's write timeout (5 s); the process sends the batch
    // again on another connection while the first is still there, and both wait.
    await eventually(async () => (await waitingFlushes()).length >= 2, 15_000);
  } finally {
    await unlock();
  }
  await answer(key.key, 2);
  await exactly(key.id, workspaceId, 8);
}, 30_000);
