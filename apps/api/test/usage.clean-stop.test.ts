import { afterAll, beforeAll, expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { type ApiProcess, startApiProcess, usageOfKey } from './support/metering.ts';
import { seedKey, seedProfileWithoutPhoto, seedWorkspace } from './support/seed.ts';

// CONTRACT §3: a process that stops cleanly loses no counts. The flush interval is a minute here, so
// everything counted is still in memory when SIGTERM arrives.
const database = useTestDatabase();
let api: ApiProcess | undefined;

beforeAll(async () => {
  await seedProfileWithoutPhoto(database.db, 'alex-rivera');
  api = await startApiProcess(database.url, { USAGE_FLUSH_MS: '60000' });
}, 60_000);
afterAll(async () => {
  await api?.stop();
});

test('SIGTERM writes every count held in memory before the process exits', async () => {
  const running = api as ApiProcess;
  const key = await seedKey(database.db, await seedWorkspace(database.db), 'secret');
  const sent = { billable: 0, rejected: 0 };
  await Promise.all(
    Array.from({ length: 4 }, async (_, client) => {
      for (let i = 0; i < 25; i++) {
        const query = (client * 25 + i) % 5 === 0 ? 'username=alex-rivera&size=7' : 'username=alex-rivera';
        const res = await fetch(`${running.url}/v1/avatar?${query}`, { headers: { 'x-api-key': key.key } });
        await res.arrayBuffer();
        if (res.status === 200) sent.billable++;
        else if (res.status === 400) sent.rejected++;
        else throw new Error(`unexpected ${res.status}`);
      }
    }),
  );
  expect(await usageOfKey(database.db, key.id)).toMatchObject({ billable: 0, rejected: 0 });

  expect(await running.stop('SIGTERM')).toBe(0);
  expect(await usageOfKey(database.db, key.id)).toEqual({
    ...sent,
    fallbacks: sent.billable,
    notModified: 0,
    newProfiles: 1,
  });
  expect(sent).toEqual({ billable: 80, rejected: 20 });
  const [row] = await database.sql<
    { last_used_at: Date | null }[]
  >`select last_used_at from api_keys where id = ${key.id}`;
  expect(row?.last_used_at).not.toBeNull();
});
