import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { type ApiUnderTest, TEST_CDN_URL, startApiUnderTest } from './support/api-under-test.ts';
import { eventually, usageOfKey } from './support/metering.ts';
import {
  resolutionJobs,
  type SeededKey,
  type SeededPhoto,
  seedKey,
  seedProfileWithoutPhoto,
  seedResolvedProfile,
  seedWorkspace,
} from './support/seed.ts';

// CONTRACT §8: format=json answers the same decision as the image answer, as JSON, billed the same.
const database = useTestDatabase();
let api: ApiUnderTest;
let key: SeededKey;
let photo: SeededPhoto;

beforeAll(async () => {
  api = await startApiUnderTest(database, { env: { USAGE_FLUSH_MS: '100', RESOLVE_WAIT_MS: '200' } });
  key = await seedKey(database.db, await seedWorkspace(database.db), 'secret');
  photo = await seedResolvedProfile(database.db, api.storage, 'alex-rivera');
  await seedProfileWithoutPhoto(database.db, 'no-photo-person');
  await seedProfileWithoutPhoto(database.db, 'failed-person', 'failed');
});
afterAll(async () => {
  await api?.close();
});

const json = (query: string, headers: Record<string, string> = {}, apiKey = key.key) =>
  api.request(`/v1/avatar?${query}&format=json`, { headers: { 'x-api-key': apiKey, ...headers } });

describe('format=json', () => {
  test('resolved: the CDN URL and ETag the 302 would give, 200, no-store', async () => {
    const res = await json('linkedin_url=linkedin.com/in/Alex-Rivera&size=256');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('ratelimit-limit')).toBe('1000000');
    expect(await res.json()).toEqual({
      username: 'alex-rivera',
      status: 'resolved',
      size: 256,
      url: `${TEST_CDN_URL}/${photo.variants.get(256)?.storageKey}`,
      etag: `"${photo.variants.get(256)?.contentHash}"`,
    });
    const image = await api.request('/v1/avatar?username=alex-rivera&size=256', { headers: { 'x-api-key': key.key } });
    expect(image.status).toBe(302);
    expect(image.headers.get('location')).toBe(`${TEST_CDN_URL}/${photo.variants.get(256)?.storageKey}`);
  });

  test.each([
    ['no_photo', 'no-photo-person'],
    ['failed', 'failed-person'],
  ])('%s: url and etag null', async (status, handle) => {
    const res = await json(`username=${handle}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ username: handle, status, size: 128, url: null, etag: null });
  });

  test('pending: a profile nobody looked up is queued, waited for, and still pending after the wait', async () => {
    const res = await json('username=never-seen-before');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      username: 'never-seen-before',
      status: 'pending',
      size: 128,
      url: null,
      etag: null,
    });
    expect(await resolutionJobs(database.db, 'never-seen-before')).toBe(1);
  });

  test('If-None-Match does not turn a JSON answer into a 304', async () => {
    const res = await json('username=alex-rivera', { 'if-none-match': `"${photo.variants.get(128)?.contentHash}"` });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe('resolved');
  });

  test('HEAD answers the headers without the body', async () => {
    const res = await api.request('/v1/avatar?username=alex-rivera&format=json', {
      method: 'HEAD',
      headers: { 'x-api-key': key.key },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe('');
  });

  test('billed exactly as the image answers: each JSON answer is one billable request, a fallback one a fallback', async () => {
    const counted = await seedKey(database.db, await seedWorkspace(database.db), 'secret');
    for (const query of ['username=alex-rivera', 'username=no-photo-person', 'username=alex-rivera&size=64'])
      expect((await json(query, {}, counted.key)).status).toBe(200);
    expect((await json('username=x', {}, counted.key)).status).toBe(400);
    await eventually(async () => (await usageOfKey(database.db, counted.id)).rejected === 1);
    expect(await usageOfKey(database.db, counted.id)).toEqual({
      billable: 3,
      notModified: 0,
      fallbacks: 1,
      newProfiles: 2,
      rejected: 1,
    });
  });
});

describe('errors with format=json', () => {
  test('any other format value is 400 invalid_format', async () => {
    for (const format of ['xml', 'JSON', '']) {
      const res = await api.request(`/v1/avatar?username=alex-rivera&format=${format}`, {
        headers: { 'x-api-key': key.key },
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_format');
    }
  });

  test('errors keep their statuses and JSON bodies, even for a caller that looks like an image element', async () => {
    const res = await api.request('/v1/avatar?username=alex-rivera&format=json', {
      headers: { 'sec-fetch-dest': 'image', accept: 'image/webp,*/*' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('missing_key');
    const badProfile = await json('username=a');
    expect(badProfile.status).toBe(400);
    expect(((await badProfile.json()) as { error: { code: string } }).error.code).toBe('invalid_username');
  });
});
