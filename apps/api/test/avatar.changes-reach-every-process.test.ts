import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { channels, notify } from '@avtrz/db/notify';
import { useTestDatabase } from '@avtrz/db/testing';
import { type ApiUnderTest, TEST_CDN_URL, startApiUnderTest } from './support/api-under-test.ts';
import { revokeKey, seedKey, seedProfileWithoutPhoto, seedResolvedProfile, seedWorkspace } from './support/seed.ts';

const database = useTestDatabase();
// Two API processes (each its own pool and listening connection) on one database.
let first: ApiUnderTest;
let second: ApiUnderTest;

beforeAll(async () => {
  first = await startApiUnderTest(database, { ownPool: true });
  second = await startApiUnderTest(database, { ownPool: true, dataDir: first.config.dataDir });
});
afterAll(async () => {
  await second?.close();
  await first?.close();
});

const status = (api: ApiUnderTest, path: string, headers: Record<string, string> = {}) =>
  api.request(path, { headers }).then(async (res) => {
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

describe('keys', () => {
  test('a revoked key fails on every process within 2 seconds', async () => {
    const key = await seedKey(database.db, await seedWorkspace(database.db), 'secret');
    await seedResolvedProfile(database.db, first.storage, 'revocation-target');
    const path = '/v1/avatar?username=revocation-target';
    // Both processes hold the key in memory now.
    for (const api of [first, second]) expect(await status(api, path, { 'x-api-key': key.key })).toBe(302);
    await revokeKey(database.db, key.id);
    for (const api of [first, second]) {
      await within(2000, async () => (await status(api, path, { 'x-api-key': key.key })) === 401);
    }
  });

  test('another key of the workspace keeps working; a new key works at once', async () => {
    const workspace = await seedWorkspace(database.db);
    const kept = await seedKey(database.db, workspace, 'secret');
    const revoked = await seedKey(database.db, workspace, 'secret');
    await seedResolvedProfile(database.db, first.storage, 'kept-profile');
    const path = '/v1/avatar?username=kept-profile';
    expect(await status(first, path, { 'x-api-key': kept.key })).toBe(302);
    await revokeKey(database.db, revoked.id);
    const added = await seedKey(database.db, workspace, 'secret');
    await notify(database.db, channels.apiKeys, added.id);
    expect(await status(first, path, { 'x-api-key': kept.key })).toBe(302);
    expect(await status(second, path, { 'x-api-key': added.key })).toBe(302);
  });

  test('changed allowed domains apply on every process at once', async () => {
    const key = await seedKey(database.db, await seedWorkspace(database.db), 'publishable', {
      allowedDomains: ['example.com'],
    });
    await seedResolvedProfile(database.db, first.storage, 'domains-profile');
    const path = `/v1/avatar?username=domains-profile&key=${key.key}`;
    for (const api of [first, second]) expect(await status(api, path, { origin: 'https://other.example' })).toBe(401);
    await database.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('api_keys')
        .set({ allowed_domains: ['other.example'] })
        .where('id', '=', key.id)
        .execute();
      await notify(trx, channels.apiKeys, key.id);
    });
    for (const api of [first, second])
      await within(2000, async () => (await status(api, path, { origin: 'https://other.example' })) === 302);
  });

  test('a plan change reaches every process (the workspace notification drops its keys)', async () => {
    const workspace = await seedWorkspace(database.db, { rateLimitPerMinute: 600 });
    const key = await seedKey(database.db, workspace, 'secret');
    await seedResolvedProfile(database.db, first.storage, 'plan-profile');
    const limitOf = async (api: ApiUnderTest) =>
      (await api.request('/v1/avatar?username=plan-profile', { headers: { 'x-api-key': key.key } })).headers.get(
        'ratelimit-limit',
      );
    for (const api of [first, second]) expect(await limitOf(api)).toBe('600');
    await database.db.transaction().execute(async (trx) => {
      await trx.updateTable('workspaces').set({ rate_limit_per_minute: 1200 }).where('id', '=', workspace).execute();
      await notify(trx, channels.workspaces, workspace);
    });
    for (const api of [first, second]) await within(2000, async () => (await limitOf(api)) === '1200');
  });
});

describe('profiles', () => {
  test('a newly resolved photo is served at once by every process', async () => {
    const key = await seedKey(database.db, await seedWorkspace(database.db), 'secret');
    await seedProfileWithoutPhoto(database.db, 'gets-a-photo');
    const path = '/v1/avatar?username=gets-a-photo';
    for (const api of [first, second]) expect(await status(api, path, { 'x-api-key': key.key })).toBe(200);
    const photo = await seedResolvedProfile(database.db, first.storage, 'gets-a-photo');
    for (const api of [first, second]) {
      await within(2000, async () => (await status(api, path, { 'x-api-key': key.key })) === 302);
      const res = await api.request(path, { headers: { 'x-api-key': key.key } });
      expect(res.headers.get('location')).toBe(`${TEST_CDN_URL}/${photo.variants.get(128)?.storageKey}`);
    }
  });

  test('a changed photo gets its new URL', async () => {
    const key = await seedKey(database.db, await seedWorkspace(database.db), 'secret');
    const before = await seedResolvedProfile(database.db, first.storage, 'changes-photo');
    const locationOf = async (api: ApiUnderTest) =>
      (
        await api.request('/v1/avatar?username=changes-photo&size=256', { headers: { 'x-api-key': key.key } })
      ).headers.get('location');
    expect(await locationOf(second)).toBe(`${TEST_CDN_URL}/${before.variants.get(256)?.storageKey}`);
    const after = await seedResolvedProfile(database.db, first.storage, 'changes-photo');
    await within(
      2000,
      async () => (await locationOf(second)) === `${TEST_CDN_URL}/${after.variants.get(256)?.storageKey}`,
    );
  });
});

describe('without notifications', () => {
  test('the TTL is the backstop for a missed notification', async () => {
    const api = await startApiUnderTest(database, { ownPool: true, env: { CACHE_TTL_MS: '300' } });
    try {
      const key = await seedKey(database.db, await seedWorkspace(database.db), 'secret');
      await seedProfileWithoutPhoto(database.db, 'silent-change');
      expect(await status(api, '/v1/avatar?username=silent-change', { 'x-api-key': key.key })).toBe(200);
      await seedResolvedProfile(database.db, api.storage, 'silent-change', { notifyChange: false });
      await sql`update api_keys set revoked_at = now() where id = ${key.id}`.execute(database.db);
      await within(
        2000,
        async () => (await status(api, '/v1/avatar?username=silent-change', { 'x-api-key': key.key })) === 401,
      );
    } finally {
      await api.close();
    }
  });
});
