import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getWorkspaceMonthUsage } from '@avtrz/db/queries/quotas.queries';
import { channels, notify } from '@avtrz/db/notify';
import { useTestDatabase } from '@avtrz/db/testing';
import { monthOf } from '@avtrz/shared/calendar';
import { type ApiUnderTest, startApiUnderTest } from './support/api-under-test.ts';
import { eventually, usageOfKey } from './support/metering.ts';
import { seedKey, seedProfileWithoutPhoto, seedResolvedProfile, seedWorkspace } from './support/seed.ts';

// CONTRACT §3: over either monthly quota, profiles the workspace already requested this month keep
// their 302/200; profiles new to the workspace get 402 quota_exceeded.
const database = useTestDatabase();
let api: ApiUnderTest;

beforeAll(async () => {
  api = await startApiUnderTest(database, { env: { USAGE_FLUSH_MS: '100' } });
  await seedResolvedProfile(database.db, api.storage, 'alex-rivera');
  for (const handle of ['person-one', 'person-two', 'person-three', 'person-four', 'person-five']) {
    await seedProfileWithoutPhoto(database.db, handle);
  }
});
afterAll(async () => {
  await api?.close();
});

const status = async (key: string, handle: string) => {
  const res = await api.request(`/v1/avatar?username=${handle}`, { headers: { 'x-api-key': key } });
  await res.arrayBuffer();
  return res.status;
};

describe('new-profile quota', () => {
  test('the third new profile is refused; the first two keep serving, for every key of the workspace', async () => {
    const workspaceId = await seedWorkspace(database.db, { monthlyNewProfileQuota: 2 });
    const first = await seedKey(database.db, workspaceId, 'publishable');
    const second = await seedKey(database.db, workspaceId, 'secret');

    expect(await status(first.key, 'alex-rivera')).toBe(302);
    expect(await status(first.key, 'person-one')).toBe(200);
    const refused = await api.request('/v1/avatar?username=person-two', { headers: { 'x-api-key': first.key } });
    expect(refused.status).toBe(402);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(refused.headers.get('ratelimit-limit')).toBe('1000000');
    expect(await refused.json()).toMatchObject({ error: { type: 'billing', code: 'quota_exceeded' } });

    // Already requested this month: served, whichever key asks; new ones refused for every key.
    for (let i = 0; i < 3; i++) {
      expect(await status(first.key, 'alex-rivera')).toBe(302);
      expect(await status(second.key, 'person-one')).toBe(200);
    }
    expect(await status(second.key, 'person-two')).toBe(402);
    expect(await status(second.key, 'ALEX-RIVERA')).toBe(302);

    // Waits for the last answer's count (the 302): a flush may fall between any two answers.
    await eventually(async () => (await usageOfKey(database.db, second.id)).billable === 4);
    expect(await usageOfKey(database.db, first.id)).toMatchObject({ billable: 5, newProfiles: 2, rejected: 1 });
    expect(await usageOfKey(database.db, second.id)).toMatchObject({ billable: 4, newProfiles: 0, rejected: 1 });
    expect(await getWorkspaceMonthUsage(database.db, workspaceId, monthOf(new Date()))).toEqual({
      requests: 9,
      newProfiles: 2,
    });
  });

  test('another workspace is not affected, and the shared photo is new to it', async () => {
    const full = await seedWorkspace(database.db, { monthlyNewProfileQuota: 0 });
    const other = await seedWorkspace(database.db, { monthlyNewProfileQuota: 5 });
    expect(await status((await seedKey(database.db, full, 'secret')).key, 'alex-rivera')).toBe(402);
    const key = await seedKey(database.db, other, 'secret');
    expect(await status(key.key, 'alex-rivera')).toBe(302);
    await eventually(async () => (await usageOfKey(database.db, key.id)).newProfiles === 1);
  });
});

describe('request quota', () => {
  test('once the billable answers reach the quota, only profiles already requested are served', async () => {
    const workspaceId = await seedWorkspace(database.db, { monthlyRequestQuota: 3 });
    const key = await seedKey(database.db, workspaceId, 'secret');
    for (let i = 0; i < 3; i++) expect(await status(key.key, 'person-one')).toBe(200);
    // This process's own unwritten counts are enough to know: no wait for a flush.
    expect(await status(key.key, 'person-two')).toBe(402);
    for (let i = 0; i < 3; i++) expect(await status(key.key, 'person-one')).toBe(200);
    await eventually(async () => (await usageOfKey(database.db, key.id)).billable === 6);
    expect(await usageOfKey(database.db, key.id)).toMatchObject({
      billable: 6,
      fallbacks: 6,
      newProfiles: 1,
      rejected: 1,
    });
    expect(await getWorkspaceMonthUsage(database.db, workspaceId, monthOf(new Date()))).toEqual({
      requests: 6,
      newProfiles: 1,
    });
  });

  test('a plan upgrade lets new profiles in at once', async () => {
    const workspaceId = await seedWorkspace(database.db, { monthlyRequestQuota: 1, monthlyNewProfileQuota: 1 });
    const key = await seedKey(database.db, workspaceId, 'secret');
    expect(await status(key.key, 'person-three')).toBe(200);
    expect(await status(key.key, 'person-four')).toBe(402);
    // As the admin API changes a plan: the write and its notification in one transaction.
    await database.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('workspaces')
        .set({ monthly_request_quota: 100, monthly_new_profile_quota: 100 })
        .where('id', '=', workspaceId)
        .execute();
      await notify(trx, channels.workspaces, workspaceId);
    });
    await eventually(async () => (await status(key.key, 'person-four')) === 200, 2_000);
    expect(await status(key.key, 'person-five')).toBe(200);
  });
});
