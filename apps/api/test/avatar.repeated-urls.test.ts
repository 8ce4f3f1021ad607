import { afterAll, beforeAll, expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { type ApiUnderTest, startApiUnderTest } from './support/api-under-test.ts';
import { type SeededKey, seedKey, seedResolvedProfile, seedWorkspace } from './support/seed.ts';

// The API remembers what each distinct query string says (pages repeat the same avatar URLs). What
// is remembered is the query alone: the same URL sent with another key header, another Referer or
// no key at all is decided afresh, and bad parameters stay refused however often they are sent.
const database = useTestDatabase();
let api: ApiUnderTest;
let secret: SeededKey;
let publishable: SeededKey;

beforeAll(async () => {
  api = await startApiUnderTest(database);
  const workspace = await seedWorkspace(database.db);
  secret = await seedKey(database.db, workspace, 'secret');
  publishable = await seedKey(database.db, workspace, 'publishable', { allowedDomains: ['example.com'] });
  await seedResolvedProfile(database.db, api.storage, 'alex-rivera');
});
afterAll(async () => {
  await api?.close();
});

const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

test('the same URL with another key header, or none, is answered for that header', async () => {
  const path = '/v1/avatar?username=alex-rivera&size=128';
  for (let i = 0; i < 3; i++) {
    expect((await api.request(path, { headers: { 'x-api-key': secret.key } })).status).toBe(302);
    expect(await codeOf(await api.request(path, { headers: { 'x-api-key': `${secret.key.slice(0, -1)}x` } }))).toBe(
      'invalid_key',
    );
    expect(await codeOf(await api.request(path))).toBe('missing_key');
    expect(await codeOf(await api.request(path, { headers: { authorization: `Bearer ${secret.key}` } }))).toBe(
      'missing_key',
    );
  }
});

test('the same URL with a publishable key is checked against each request’s Referer', async () => {
  const path = `/v1/avatar?key=${publishable.key}&linkedin_url=linkedin.com/in/alex-rivera`;
  for (let i = 0; i < 3; i++) {
    expect((await api.request(path, { headers: { referer: 'https://example.com/team' } })).status).toBe(302);
    expect(await codeOf(await api.request(path, { headers: { referer: 'https://evil.example/' } }))).toBe(
      'domain_blocked',
    );
    // The header key wins over the query's, on a URL read before.
    expect((await api.request(path, { headers: { 'x-api-key': secret.key } })).status).toBe(302);
  }
});

test('a secret key in the query string works on every request, and bad parameters stay refused', async () => {
  for (let i = 0; i < 3; i++) {
    expect((await api.request(`/v1/avatar?username=alex-rivera&key=${secret.key}`)).status).toBe(302);
    const badSize = await api.request('/v1/avatar?username=alex-rivera&size=129', {
      headers: { 'x-api-key': secret.key },
    });
    expect(badSize.status).toBe(400);
    expect(await codeOf(badSize)).toBe('invalid_size');
  }
});

test('thousands of distinct URLs, more than are remembered, are each answered for what they name', async () => {
  const answers = [];
  for (let i = 0; i < 5000; i += 250) {
    const batch = await Promise.all(
      Array.from({ length: 250 }, (_, j) =>
        api.request(`/v1/avatar?username=alex-rivera&size=128&n=${i + j}`, { headers: { 'x-api-key': secret.key } }),
      ),
    );
    answers.push(...batch.map((res) => res.status));
  }
  expect(answers.filter((status) => status === 302)).toHaveLength(5000);
  // And the first ones, read again once the remembered set has started over, are still right.
  expect((await api.request('/v1/avatar?username=alex-rivera&size=128&n=0')).status).toBe(401);
  expect(
    (await api.request('/v1/avatar?username=no-such&size=999&n=1', { headers: { 'x-api-key': secret.key } })).status,
  ).toBe(400);
});
