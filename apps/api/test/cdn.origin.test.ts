import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { type ApiUnderTest, TEST_CDN_URL, startApiUnderTest } from './support/api-under-test.ts';
import { type SeededPhoto, seedKey, seedResolvedProfile, seedWorkspace } from './support/seed.ts';

const database = useTestDatabase();
let api: ApiUnderTest;
let photo: SeededPhoto;
let key: string;

beforeAll(async () => {
  api = await startApiUnderTest(database);
  photo = await seedResolvedProfile(database.db, api.storage, 'alex-rivera');
  key = (await seedKey(database.db, await seedWorkspace(database.db), 'secret')).key;
});
afterAll(async () => {
  await api?.close();
});

const variant = (size: number) => {
  const v = photo.variants.get(size);
  if (!v) throw new Error(`no ${size} variant`);
  return v;
};

describe('the CDN origin under PUBLIC_CDN_URL’s path', () => {
  test('every Location of /v1/avatar is served by the origin, byte for byte, immutable', async () => {
    for (const size of [32, 64, 128, 256, 512]) {
      const redirect = await api.request(`/v1/avatar?username=alex-rivera&size=${size}`, {
        headers: { 'x-api-key': key },
      });
      const location = redirect.headers.get('location') ?? '';
      expect(location.startsWith(`${TEST_CDN_URL}/`)).toBe(true);
      // The CDN in front forwards the path to this origin.
      const res = await api.request(new URL(location).pathname);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/webp');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('etag')).toBe(redirect.headers.get('etag'));
      expect(res.headers.get('content-length')).toBe(String(variant(size).body.byteLength));
      expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(variant(size).body))).toBe(true);
    }
  });

  test('HEAD: the headers, no body', async () => {
    const res = await api.request(`/cdn/${variant(128).storageKey}`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${variant(128).contentHash}"`);
    expect(res.headers.get('content-length')).toBe(String(variant(128).body.byteLength));
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  test.each([
    ['the same tag', (e: string) => e],
    ['a weak tag', (e: string) => `W/${e}`],
    ['a list', (e: string) => `"abc", ${e}`],
    ['*', () => '*'],
  ])('If-None-Match with %s → 304', async (_name, header) => {
    const etag = `"${variant(256).contentHash}"`;
    const res = await api.request(`/cdn/${variant(256).storageKey}`, { headers: { 'if-none-match': header(etag) } });
    expect(res.status).toBe(304);
    expect(res.headers.get('etag')).toBe(etag);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  test('another tag gets the image', async () => {
    const res = await api.request(`/cdn/${variant(256).storageKey}`, {
      headers: { 'if-none-match': `"${variant(128).contentHash}"` },
    });
    expect(res.status).toBe(200);
  });

  test('a PNG is served as a PNG', async () => {
    const body = Buffer.from('\x89PNG\r\n\x1a\nnot-really');
    const { createHash } = await import('node:crypto');
    const storageKey = `${createHash('sha256').update(body).digest('hex')}.png`;
    await api.storage.put(storageKey, body, 'image/png');
    const res = await api.request(`/cdn/${storageKey}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
  });

  test.each([
    `/cdn/${'0'.repeat(64)}.webp`,
    `/cdn/${'0'.repeat(64)}.png`,
    `/cdn/${'0'.repeat(64)}.svg`,
    '/cdn/..%2F..%2Fetc%2Fpasswd',
    '/cdn/%2e%2e/secret',
    `/cdn/${'A'.repeat(64)}.webp`,
    '/cdn/nothing',
    '/cdn/',
  ])('%s → 404 JSON', async (path) => {
    const res = await api.request(path);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  test.each(['POST', 'PUT', 'DELETE'])('%s → 405 with Allow', async (method) => {
    const res = await api.request(`/cdn/${variant(128).storageKey}`, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});
