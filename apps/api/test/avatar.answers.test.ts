import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { type ApiUnderTest, TEST_CDN_URL, startApiUnderTest } from './support/api-under-test.ts';
import {
  type SeededKey,
  type SeededPhoto,
  seedKey,
  seedProfileWithoutPhoto,
  seedResolvedProfile,
  seedWorkspace,
} from './support/seed.ts';

const database = useTestDatabase();
let api: ApiUnderTest;
let secret: SeededKey;
let photo: SeededPhoto;

beforeAll(async () => {
  api = await startApiUnderTest(database);
  const workspace = await seedWorkspace(database.db, { rateLimitPerMinute: 600 });
  secret = await seedKey(database.db, workspace, 'secret');
  photo = await seedResolvedProfile(database.db, api.storage, 'alex-rivera');
  await seedProfileWithoutPhoto(database.db, 'no-photo-person');
  await seedProfileWithoutPhoto(database.db, 'failed-person', 'failed');
});
afterAll(async () => {
  await api?.close();
});

const avatar = (query: string, headers: Record<string, string> = {}, method = 'GET') =>
  api.request(`/v1/avatar?${query}`, { method, headers: { 'x-api-key': secret.key, ...headers } });

describe('302: the profile has a stored photo', () => {
  test('Location on the CDN at the requested size, its ETag, cached for a day, rate-limit headers', async () => {
    for (const size of [32, 64, 128, 256, 512]) {
      const res = await avatar(`username=alex-rivera&size=${size}`);
      const variant = photo.variants.get(size);
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(`${TEST_CDN_URL}/${variant?.storageKey}`);
      expect(res.headers.get('etag')).toBe(`"${variant?.contentHash}"`);
      expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
      expect(res.headers.get('ratelimit-limit')).toBe('600');
      expect(res.headers.get('ratelimit-remaining')).toMatch(/^\d+$/);
      expect(res.headers.get('ratelimit-reset')).toMatch(/^\d+$/);
      expect(await res.text()).toBe('');
    }
  });

  test('size defaults to 128', async () => {
    const res = await avatar('username=alex-rivera');
    expect(res.headers.get('location')).toBe(`${TEST_CDN_URL}/${photo.variants.get(128)?.storageKey}`);
  });

  test('HEAD answers the same status and headers without a body', async () => {
    const res = await avatar('username=alex-rivera&size=64', {}, 'HEAD');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${TEST_CDN_URL}/${photo.variants.get(64)?.storageKey}`);
    expect(await res.text()).toBe('');
  });
});

describe('304: If-None-Match names the photo the 302 would point at', () => {
  const etag = () => `"${photo.variants.get(128)?.contentHash}"`;
  test.each([
    ['exactly', (e: string) => e],
    ['weak', (e: string) => `W/${e}`],
    ['in a list', (e: string) => `"0000", ${e} ,W/"1111"`],
    ['as *', () => '*'],
  ])('%s', async (_form, header) => {
    const res = await avatar('username=alex-rivera', { 'if-none-match': header(etag()) });
    expect(res.status).toBe(304);
    expect(res.headers.get('etag')).toBe(etag());
    expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(res.headers.get('location')).toBeNull();
  });

  test('another size or an old tag gets the 302', async () => {
    expect((await avatar('username=alex-rivera&size=64', { 'if-none-match': etag() })).status).toBe(302);
    expect((await avatar('username=alex-rivera', { 'if-none-match': '"stale"' })).status).toBe(302);
    expect((await avatar('username=alex-rivera', { 'if-none-match': 'garbage, "' })).status).toBe(302);
  });
});

describe('200: no photo, the SVG fallback', () => {
  test.each(['no-photo-person', 'failed-person'])('%s', async (handle) => {
    const res = await avatar(`username=${handle}&size=64`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('ratelimit-limit')).toBe('600');
    const body = await res.text();
    expect(body).toMatch(/^<svg [^>]*width="64" height="64" viewBox="0 0 64 64" role="img" aria-label="[^"]+"/);
    expect(body).toContain(`Avatar placeholder for ${handle}`);
  });

  test('HEAD has the length of the body it leaves out', async () => {
    const get = await avatar('username=no-photo-person');
    const head = await avatar('username=no-photo-person', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(await get.text())));
    expect(await head.text()).toBe('');
  });
});

describe('errors', () => {
  test('JSON with type, code and a sentence; no-store; no rate-limit headers without a key', async () => {
    const res = await api.request('/v1/avatar?username=alex-rivera');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('ratelimit-limit')).toBeNull();
    const body = (await res.json()) as { error: { type: string; code: string; message: string } };
    expect(body.error.type).toBe('auth');
    expect(body.error.code).toBe('missing_key');
    expect(body.error.message).toMatch(/x-api-key/);
  });

  test('a keyed error carries the rate-limit headers', async () => {
    const res = await avatar('username=x');
    expect(res.status).toBe(400);
    expect(res.headers.get('ratelimit-limit')).toBe('600');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_username');
  });

  test.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('%s → 405 with Allow', async (method) => {
    const res = await avatar('username=alex-rivera', {}, method);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed');
  });

  test.each(['/', '/v1', '/v1/avatarz', '/v2/avatar', '/v1/avatar/extra', '/%ZZ', '/cdn/../v1/avatar'])(
    'unknown path %s → 404 JSON',
    async (path) => {
      const res = await api.request(path);
      if (path === '/cdn/../v1/avatar') {
        // fetch resolves the dot segment itself: this is a request for /v1/avatar without a key.
        expect(res.status).toBe(401);
        return;
      }
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    },
  );
});

describe('errors seen by an <img>', () => {
  test.each([
    ['Sec-Fetch-Dest: image', { 'sec-fetch-dest': 'image' }],
    ['a browser image Accept', { accept: 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8' }],
  ])('%s: same status and headers, X-Avtrz-Error, the SVG for the requested profile', async (_name, headers) => {
    const res = await api.request('/v1/avatar?username=Alex-Rivera&size=32', { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-avtrz-error')).toBe('missing_key');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    const body = await res.text();
    expect(body).toContain('width="32"');
    expect(body).toContain('Avatar placeholder for alex-rivera');
  });

  test('a neutral silhouette when no valid profile was named', async () => {
    const res = await avatar('username=%3Cscript%3E&size=64', { 'sec-fetch-dest': 'image' });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-avtrz-error')).toBe('invalid_username');
    const body = await res.text();
    expect(body).toContain('aria-label="Avatar placeholder"');
    expect(body).not.toContain('script');
  });

  test('an invalid size is answered at the default size', async () => {
    const res = await avatar('username=alex-rivera&size=100', { 'sec-fetch-dest': 'image' });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-avtrz-error')).toBe('invalid_size');
    expect(await res.text()).toContain('width="128"');
  });

  test.each([
    ['JSON and images', 'application/json, image/*'],
    ['anything', '*/*'],
    ['images refused', 'image/*;q=0, application/json'],
  ])('Accept asking for %s gets JSON', async (_name, accept) => {
    const res = await api.request('/v1/avatar?username=alex-rivera', { headers: { accept } });
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-avtrz-error')).toBeNull();
  });
});
