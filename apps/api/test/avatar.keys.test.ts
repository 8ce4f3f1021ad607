import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { generateApiKey } from '@avtrz/shared/api-key';
import { type ApiUnderTest, startApiUnderTest } from './support/api-under-test.ts';
import { type SeededKey, seedKey, seedResolvedProfile, seedWorkspace } from './support/seed.ts';

const database = useTestDatabase();
let api: ApiUnderTest;
let secret: SeededKey;
let publishable: SeededKey;

beforeAll(async () => {
  api = await startApiUnderTest(database);
  const workspace = await seedWorkspace(database.db);
  secret = await seedKey(database.db, workspace, 'secret');
  publishable = await seedKey(database.db, workspace, 'publishable');
  await seedResolvedProfile(database.db, api.storage, 'alex-rivera');
});
afterAll(async () => {
  await api?.close();
});

const PROFILE = '/v1/avatar?username=alex-rivera';
const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

describe('where the key comes from', () => {
  test('the x-api-key header', async () => {
    expect((await api.request(PROFILE, { headers: { 'x-api-key': secret.key } })).status).toBe(302);
  });

  test('the key parameter', async () => {
    expect((await api.request(`${PROFILE}&key=${publishable.key}`)).status).toBe(302);
  });

  test('the header wins when both are sent', async () => {
    const headerBad = await api.request(`${PROFILE}&key=${secret.key}`, { headers: { 'x-api-key': 'sk_live_wrong' } });
    expect(headerBad.status).toBe(401);
    expect((await codeOf(headerBad)).code).toBe('invalid_key');
    const headerGood = await api.request(`${PROFILE}&key=sk_live_wrong`, { headers: { 'x-api-key': secret.key } });
    expect(headerGood.status).toBe(302);
  });

  test('no key → 401 missing_key', async () => {
    const res = await api.request(PROFILE);
    expect(res.status).toBe(401);
    expect((await codeOf(res)).code).toBe('missing_key');
  });

  test('a Bearer token is not a key, and the message says so', async () => {
    const res = await api.request(PROFILE, { headers: { authorization: `Bearer ${secret.key}` } });
    expect(res.status).toBe(401);
    const error = await codeOf(res);
    expect(error.code).toBe('missing_key');
    expect(error.message).toMatch(/Bearer/);
  });
});

describe('invalid keys → 401 invalid_key', () => {
  const mistyped = (key: string) => `${key.slice(0, 12)}${key[12] === 'a' ? 'b' : 'a'}${key.slice(13)}`;
  test.each([
    ['garbage', () => 'hello'],
    ['a test-mode prefix', () => secret.key.replace('_live_', '_test_')],
    ['one character mistyped', () => mistyped(secret.key)],
    ['truncated', () => secret.key.slice(0, -1)],
    ['with a character too many', () => `${secret.key}x`],
    ['a well-formed key nobody issued', () => generateApiKey('secret').key],
  ])('%s', async (_name, make) => {
    const res = await api.request(PROFILE, { headers: { 'x-api-key': make() } });
    expect(res.status).toBe(401);
    expect((await codeOf(res)).code).toBe('invalid_key');
  });

  test('a revoked key', async () => {
    const revoked = await seedKey(database.db, await seedWorkspace(database.db), 'secret', {
      revokedAt: new Date(Date.now() - 1000),
    });
    const res = await api.request(PROFILE, { headers: { 'x-api-key': revoked.key } });
    expect(res.status).toBe(401);
    expect((await codeOf(res)).code).toBe('invalid_key');
  });

  test('a rolled key works until its revocation time, then stops', async () => {
    const rolled = await seedKey(database.db, await seedWorkspace(database.db), 'publishable', {
      revokedAt: new Date(Date.now() + 1500),
    });
    expect((await api.request(`${PROFILE}&key=${rolled.key}`)).status).toBe(302);
    await new Promise((r) => setTimeout(r, 1700));
    expect((await api.request(`${PROFILE}&key=${rolled.key}`)).status).toBe(401);
  });

  test('a malformed or mistyped key costs no database lookup', async () => {
    // With the keys table out of the way, any lookup fails (503); a key refused by its shape and
    // checksum alone is still answered 401 at once.
    await sql`alter table api_keys rename to api_keys_hidden`.execute(database.db);
    try {
      for (let i = 0; i < 30; i++) {
        const res = await api.request(PROFILE, { headers: { 'x-api-key': mistyped(generateApiKey('secret').key) } });
        expect(res.status).toBe(401);
        expect((await codeOf(res)).code).toBe('invalid_key');
      }
      const lookedUp = await api.request(PROFILE, { headers: { 'x-api-key': generateApiKey('secret').key } });
      expect(lookedUp.status).toBe(503);
      expect((await codeOf(lookedUp)).code).toBe('service_unavailable');
    } finally {
      await sql`alter table api_keys_hidden rename to api_keys`.execute(database.db);
    }
  });

  test('an unknown well-formed key is remembered briefly: repeating it costs no lookup', async () => {
    const unknown = generateApiKey('publishable').key;
    const requests = Array.from({ length: 20 }, () => api.request(`${PROFILE}&key=${unknown}`));
    for (const res of await Promise.all(requests)) expect(res.status).toBe(401);
  });
});
