import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { generateApiKey } from '@avtrz/shared/api-key';
import { type ApiUnderTest, startApiUnderTest } from './support/api-under-test.ts';
import { seedKey, seedProfileWithoutPhoto, seedResolvedProfile, seedWorkspace } from './support/seed.ts';

// Whatever a client sends, the answer is never a 5xx and never a hang (CONTRACT §1, §6).
const database = useTestDatabase();
let api: ApiUnderTest;
let realKeys: string[];

beforeAll(async () => {
  // A short wait: thousands of requests name profiles nobody will resolve.
  api = await startApiUnderTest(database, { env: { RESOLVE_WAIT_MS: '5' } });
  const workspace = await seedWorkspace(database.db);
  realKeys = [
    (await seedKey(database.db, workspace, 'secret')).key,
    (await seedKey(database.db, workspace, 'publishable', { allowedDomains: ['example.com', '*.example.org'] })).key,
    (
      await seedKey(
        database.db,
        await seedWorkspace(database.db, { rateLimitPerMinute: 3, monthlyNewProfileQuota: 2 }),
        'secret',
      )
    ).key,
  ];
  await seedResolvedProfile(database.db, api.storage, 'alex-rivera');
  await seedProfileWithoutPhoto(database.db, 'no-photo-person');
});
afterAll(async () => {
  await api?.close();
});

const tricky = [
  '',
  ' ',
  '%',
  '%%',
  '%ZZ',
  '%00',
  '%C0%AF',
  '%E2%80%AE',
  '\u202e',
  '😀',
  'null',
  'undefined',
  '../..',
  '<svg onload=alert(1)>',
  'javascript:alert(1)',
  'linkedin.com/in/',
  'linkedin.com/in/alex-rivera',
  'https://www.linkedin.com/in/Alex-Rivera/',
  'linkedin.com.evil.example/in/alex-rivera',
  'alex-rivera',
  'ALEX-RIVERA',
  'no-photo-person',
  'josé-garcía',
  '128',
  '512',
  '0',
  '-1',
  '1e9',
  'NaN',
  '9'.repeat(400),
  'a'.repeat(3000),
  '*',
  'W/"x"',
  '"',
  '"abc"',
];
const text = fc.oneof(
  fc.constantFrom(...tricky),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);
const keyText = fc.oneof(
  fc.constantFrom(...tricky),
  fc.constant(undefined),
  fc.constant('real'),
  fc.constant('unknown'),
  fc.string({ maxLength: 60 }).map((s) => `sk_live_${s}`),
);
const paramName = fc.constantFrom(
  'key',
  'linkedin_url',
  'username',
  'size',
  'refresh',
  'x',
  'key[]',
  'username ',
  '',
  '%',
);
/** Header values a client can really send (visible ASCII and Latin-1, no control characters). */
const headerValue = fc.oneof(
  fc.constantFrom(...tricky.filter((t) => /^[\t\x20-\x7e\x80-\xff]*$/.test(t))),
  fc.string({ maxLength: 80 }).map((s) => s.replace(/[^\t\x20-\x7e]/g, '')),
  fc.constantFrom(
    'https://example.com',
    'https://a.example.org/x',
    'null',
    'https://example.com@evil.example',
    'image',
    'image/*',
    'application/json',
    '*/*',
  ),
);
const headerName = fc.constantFrom(
  'x-api-key',
  'origin',
  'referer',
  'accept',
  'sec-fetch-dest',
  'if-none-match',
  'authorization',
  'x-request-id',
  'cookie',
  'range',
);
const method = fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH');
const path = fc.constantFrom(
  '/v1/avatar',
  '/v1/avatar',
  '/v1/avatar',
  '/v1/avatar/',
  '/V1/AVATAR',
  '/cdn/x',
  `/cdn/${'a'.repeat(64)}.webp`,
  '/api/docs/openapi',
  '/',
  '/%E0%A4%A',
);

const request = fc.record({
  method,
  path,
  params: fc.array(fc.tuple(paramName, text), { maxLength: 6 }),
  key: keyText,
  keyIn: fc.constantFrom('query', 'header'),
  headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 5 }),
});

test('thousands of random query strings and headers: never a 5xx, never a hang', async () => {
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const query = new URLSearchParams(r.params);
      const headers = new Headers();
      for (const [name, value] of r.headers) headers.append(name, value);
      const key =
        r.key === 'real'
          ? realKeys[r.params.length % realKeys.length]
          : r.key === 'unknown'
            ? generateApiKey('secret').key
            : r.key;
      if (key !== undefined) {
        if (r.keyIn === 'query') query.append('key', key);
        else if (/^[\t\x20-\x7e]*$/.test(key)) headers.set('x-api-key', key);
      }
      const res = await api.request(`${r.path}?${query}`, {
        method: r.method,
        headers,
        signal: AbortSignal.timeout(5000),
      });
      const body = await res.arrayBuffer();
      expect(res.status, `${r.method} ${r.path}?${query}`).toBeLessThan(500);
      if (res.status >= 400 && r.method !== 'HEAD') {
        const type = res.headers.get('content-type');
        expect(['application/json', 'image/svg+xml']).toContain(type);
        expect(res.headers.get('cache-control')).toBe('no-store');
        if (type === 'application/json')
          expect(JSON.parse(Buffer.from(body).toString()).error.code).toMatch(/^[a-z_]+$/);
      }
    }),
    { numRuns: 2500, interruptAfterTimeLimit: 100_000 },
  );
}, 120_000);
