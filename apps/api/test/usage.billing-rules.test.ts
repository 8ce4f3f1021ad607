import { afterAll, beforeAll, expect, test } from 'vitest';
import { getWorkspaceMonthUsage } from '@avtrz/db/queries/quotas.queries';
import { useTestDatabase } from '@avtrz/db/testing';
import { monthOf } from '@avtrz/shared/calendar';
import { type ApiUnderTest, startApiUnderTest } from './support/api-under-test.ts';
import { eventually, type UsageTotals, usageOfKey } from './support/metering.ts';
import {
  type SeededKey,
  type SeededPhoto,
  seedKey,
  seedProfileWithoutPhoto,
  seedResolvedProfile,
  seedWorkspace,
} from './support/seed.ts';

// CONTRACT §3: 302 and 200 are billed; 304 and errors never are. Counted per key per hour.
const database = useTestDatabase();
let api: ApiUnderTest;
let workspaceId: string;
let key: SeededKey;
let photo: SeededPhoto;

beforeAll(async () => {
  api = await startApiUnderTest(database, { env: { USAGE_FLUSH_MS: '100' } });
  workspaceId = await seedWorkspace(database.db);
  key = await seedKey(database.db, workspaceId, 'secret');
  photo = await seedResolvedProfile(database.db, api.storage, 'alex-rivera');
  await seedProfileWithoutPhoto(database.db, 'no-photo-person');
});
afterAll(async () => {
  await api?.close();
});

const avatar = (query: string, headers: Record<string, string> = {}) =>
  api.request(`/v1/avatar?${query}`, { headers: { 'x-api-key': key.key, ...headers } });

test('each answer lands in its key-hour row: 302 and 200 billed (200 also a fallback), 304 not modified, 4xx rejected', async () => {
  const before = new Date();
  const etag = `"${photo.variants.get(128)?.contentHash}"`;
  const answers: [number, () => Promise<Response>][] = [
    [302, () => avatar('username=alex-rivera')],
    [302, () => avatar('linkedin_url=linkedin.com/in/Alex-Rivera&size=64')],
    [302, () => avatar('username=alex-rivera&size=512')],
    [200, () => avatar('username=no-photo-person')],
    [200, () => avatar('username=no-photo-person&size=32')],
    [304, () => avatar('username=alex-rivera', { 'if-none-match': etag })],
    [304, () => avatar('username=alex-rivera', { 'if-none-match': `W/${etag}` })],
    [400, () => avatar('username=alex-rivera&size=100')],
    [400, () => avatar('')],
    [400, () => avatar('username=a')],
  ];
  for (const [status, send] of answers) {
    const res = await send();
    await res.arrayBuffer();
    expect(res.status).toBe(status);
  }
  // Not attributable to any key: counted nowhere.
  expect((await api.request('/v1/avatar?username=alex-rivera')).status).toBe(401);
  expect(
    (await api.request('/v1/avatar?username=alex-rivera&key=sk_live_000000000000000000000000000000000000')).status,
  ).toBe(401);

  const expected: UsageTotals = { billable: 5, notModified: 2, fallbacks: 2, newProfiles: 2, rejected: 3 };
  await eventually(async () => (await usageOfKey(database.db, key.id)).rejected === expected.rejected);
  expect(await usageOfKey(database.db, key.id)).toEqual(expected);
  const hourOf = (at: number) => Math.floor(at / 3_600_000) * 3_600_000;
  if (hourOf(before.getTime()) === hourOf(Date.now())) {
    const rows = await database.sql<{ hour: Date }[]>`select hour from usage_hourly where key_id = ${key.id}`;
    expect(rows.map((r) => r.hour.getTime())).toEqual([hourOf(before.getTime())]);
  }
  const [others] = await database.sql<
    { n: number }[]
  >`select count(*)::int as n from usage_hourly where key_id <> ${key.id}`;
  expect(others?.n).toBe(0);

  // The monthly counters the quotas read, and the key's last use.
  expect(await getWorkspaceMonthUsage(database.db, workspaceId, monthOf(new Date()))).toEqual({
    requests: 5,
    newProfiles: 2,
  });
  const [used] = await database.sql<{ last_used_at: Date }[]>`select last_used_at from api_keys where id = ${key.id}`;
  expect(used?.last_used_at.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1);
  expect(used?.last_used_at.getTime()).toBeLessThanOrEqual(Date.now());

  // Written once: later flushes add nothing.
  await new Promise((r) => setTimeout(r, 300));
  expect(await usageOfKey(database.db, key.id)).toEqual(expected);
});
