import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { type ApiUnderTest, startApiUnderTest } from './support/api-under-test.ts';
import { type SeededKey, seedKey, seedResolvedProfile, seedWorkspace } from './support/seed.ts';

const database = useTestDatabase();
let api: ApiUnderTest;
let restricted: SeededKey;
let restrictedSecret: SeededKey;
let unrestricted: SeededKey;
let local: SeededKey;

beforeAll(async () => {
  api = await startApiUnderTest(database);
  const workspace = await seedWorkspace(database.db);
  // As the admin API stores them: lower-case ASCII (IDNs in punycode), wildcards for subdomains.
  const domains = ['example.com', '*.shop.example', 'xn--bcher-kva.de'];
  restricted = await seedKey(database.db, workspace, 'publishable', { allowedDomains: domains });
  restrictedSecret = await seedKey(database.db, workspace, 'secret', { allowedDomains: domains });
  unrestricted = await seedKey(database.db, workspace, 'publishable');
  local = await seedKey(database.db, workspace, 'publishable', { allowedDomains: ['localhost'] });
  await seedResolvedProfile(database.db, api.storage, 'alex-rivera');
});
afterAll(async () => {
  await api?.close();
});

const request = (key: SeededKey, headers: Record<string, string>) =>
  api.request(`/v1/avatar?username=alex-rivera&key=${key.key}`, { headers });
const expectBlocked = async (res: Response) => {
  expect(res.status).toBe(401);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('domain_blocked');
};

describe('allowed', () => {
  test.each([
    ['Origin on the list', { origin: 'https://example.com' }],
    ['Referer on the list', { referer: 'https://example.com/team/alex?x=1' }],
    ['another scheme and a port (both ignored)', { origin: 'http://example.com:8080' }],
    ['upper case', { referer: 'HTTPS://EXAMPLE.COM/' }],
    ['a trailing dot', { referer: 'https://example.com./page' }],
    ['a subdomain under a wildcard', { origin: 'https://a.shop.example' }],
    ['a deeper subdomain under a wildcard', { referer: 'https://a.b.shop.example/x' }],
    ['an internationalised name, as punycode', { origin: 'https://xn--bcher-kva.de' }],
    ['an internationalised name, in Unicode', { referer: 'https://bücher.de/katalog' }],
    ['Origin wins over a foreign Referer', { origin: 'https://example.com', referer: 'https://evil.example/' }],
  ])('%s', async (_name, headers) => {
    expect((await request(restricted, headers)).status).toBe(302);
  });

  test('localhost, on any port', async () => {
    expect((await request(local, { origin: 'http://localhost:5173' })).status).toBe(302);
    await expectBlocked(await request(local, { origin: 'http://127.0.0.1:5173' }));
  });

  test('a key with an empty list is unrestricted, with or without headers', async () => {
    expect((await request(unrestricted, { origin: 'https://anywhere.example' })).status).toBe(302);
    expect((await request(unrestricted, {})).status).toBe(302);
    expect((await request(unrestricted, { origin: 'null' })).status).toBe(302);
  });

  test('a secret key with a list may be called without Origin or Referer (from a backend)', async () => {
    const res = await api.request('/v1/avatar?username=alex-rivera', {
      headers: { 'x-api-key': restrictedSecret.key },
    });
    expect(res.status).toBe(302);
  });
});

describe('blocked: 401 domain_blocked', () => {
  test.each([
    ['another domain', { origin: 'https://evil.example' }],
    ['the apex of a wildcard entry', { origin: 'https://shop.example' }],
    ['a look-alike ending', { origin: 'https://notexample.com' }],
    ['a look-alike suffix', { referer: 'https://example.com.evil.example/' }],
    ['a look-alike wildcard suffix', { referer: 'https://a.shop.example.evil.example/' }],
    ['an allowed host as a subdomain label', { origin: 'https://example.com-evil.example' }],
    ['userinfo in Referer', { referer: 'https://example.com@evil.example/page' }],
    ['userinfo with a password in Referer', { referer: 'https://example.com:pw@evil.example/' }],
    ['Origin: null (sandboxed frames, file pages)', { origin: 'null' }],
    ['a foreign Origin with an allowed Referer', { origin: 'https://evil.example', referer: 'https://example.com/' }],
    ['a non-web scheme', { referer: 'file:///C:/example.com/index.html' }],
    ['garbage', { referer: 'example.com' }],
    ['an empty Origin', { origin: '' }],
    ['a similar Unicode name', { referer: 'https://bücher.de.evil.example/' }],
    ['an IP address', { origin: 'http://93.184.216.34' }],
  ])('%s', async (_name, headers) => {
    await expectBlocked(await request(restricted, headers));
  });

  test('a publishable key with a list refuses requests that carry neither header', async () => {
    await expectBlocked(await request(restricted, {}));
  });

  test('a secret key with a list still refuses a foreign page', async () => {
    const res = await api.request('/v1/avatar?username=alex-rivera', {
      headers: { 'x-api-key': restrictedSecret.key, origin: 'https://evil.example' },
    });
    await expectBlocked(res);
  });

  test('an <img> on a foreign page gets the fallback image with the code', async () => {
    const res = await request(restricted, { referer: 'https://evil.example/', 'sec-fetch-dest': 'image' });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-avtrz-error')).toBe('domain_blocked');
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(await res.text()).toContain('Avatar placeholder for alex-rivera');
  });
});
