import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getWorkspaceMonthUsage } from '@avtrz/db/queries/quotas.queries';
import { useTestDatabase } from '@avtrz/db/testing';
import { monthOf } from '@avtrz/shared/calendar';
import { type ApiUnderTest, TEST_CDN_URL, startApiUnderTest } from './support/api-under-test.ts';
import { awaitMinuteWithRoom, eventually, usageOfKey } from './support/metering.ts';
import {
  resolutionJobs,
  type SeededKey,
  type SeededPhoto,
  seedKey,
  seedProfileWithoutPhoto,
  seedResolvedProfile,
  seedWorkspace,
} from './support/seed.ts';

// CONTRACT §8: POST /v1/avatars, each entry decided and metered exactly as a single GET would be.
const database = useTestDatabase();
let api: ApiUnderTest;
let key: SeededKey;
let photo: SeededPhoto;

beforeAll(async () => {
  api = await startApiUnderTest(database, { env: { USAGE_FLUSH_MS: '100' } });
  key = await seedKey(database.db, await seedWorkspace(database.db), 'secret');
  photo = await seedResolvedProfile(database.db, api.storage, 'alex-rivera');
  await seedProfileWithoutPhoto(database.db, 'no-photo-person');
  await seedProfileWithoutPhoto(database.db, 'failed-person', 'failed');
});
afterAll(async () => {
  await api?.close();
});

interface Result {
  input: string;
  username: string | null;
  status: string;
  url: string | null;
  error?: { code: string; message: string };
}

function post(body: unknown, apiKey: string = key.key, headers: Record<string, string> = {}) {
  return api.request('/v1/avatars', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function results(body: unknown, apiKey = key.key): Promise<Result[]> {
  const res = await post(body, apiKey);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return ((await res.json()) as { results: Result[] }).results;
}

async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  expect(res.headers.get('content-type')).toBe('application/json');
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

describe('POST /v1/avatars', () => {
  test('answers every entry in the order given, handles and URLs alike, bad entries inline', async () => {
    const answered = await results({
      profiles: [
        'no-photo-person',
        'https://www.linkedin.com/in/Alex-Rivera/',
        'x',
        'failed-person',
        'linkedin.com/company/acme',
        'alex-rivera',
      ],
      size: 64,
    });
    expect(answered).toEqual([
      { input: 'no-photo-person', username: 'no-photo-person', status: 'no_photo', url: null },
      {
        input: 'https://www.linkedin.com/in/Alex-Rivera/',
        username: 'alex-rivera',
        status: 'resolved',
        url: `${TEST_CDN_URL}/${photo.variants.get(64)?.storageKey}`,
      },
      {
        input: 'x',
        username: null,
        status: 'invalid',
        url: null,
        error: { code: 'invalid_username', message: expect.stringContaining('username') },
      },
      { input: 'failed-person', username: 'failed-person', status: 'failed', url: null },
      {
        input: 'linkedin.com/company/acme',
        username: null,
        status: 'invalid',
        url: null,
        error: { code: 'invalid_linkedin_url', message: expect.stringContaining('linkedin') },
      },
      {
        input: 'alex-rivera',
        username: 'alex-rivera',
        status: 'resolved',
        url: `${TEST_CDN_URL}/${photo.variants.get(64)?.storageKey}`,
      },
    ]);
  });

  test('size defaults to 128, as for GET', async () => {
    const [first] = await results({ profiles: ['alex-rivera'] });
    expect(first?.url).toBe(`${TEST_CDN_URL}/${photo.variants.get(128)?.storageKey}`);
  });

  test('unknown profiles are queued, one deduplicated job each, and answered pending with wait_ms 0', async () => {
    const answered = await results({ profiles: ['brand-new-one', 'Brand-New-One', 'brand-new-two'] });
    expect(answered.map((r) => [r.username, r.status])).toEqual([
      ['brand-new-one', 'pending'],
      ['brand-new-one', 'pending'],
      ['brand-new-two', 'pending'],
    ]);
    expect(await resolutionJobs(database.db, 'brand-new-one')).toBe(1);
    expect(await resolutionJobs(database.db, 'brand-new-two')).toBe(1);
  });

  test('wait_ms waits for the resolution: a profile resolved meanwhile comes back resolved', async () => {
    const started = Date.now();
    const answer = post({ profiles: ['resolves-soon', 'alex-rivera'], wait_ms: 4000 });
    const deadline = Date.now() + 3000;
    while ((await resolutionJobs(database.db, 'resolves-soon')) === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const resolved = await seedResolvedProfile(database.db, api.storage, 'resolves-soon');
    const res = await answer;
    const [first, second] = ((await res.json()) as { results: Result[] }).results;
    expect(first).toEqual({
      input: 'resolves-soon',
      username: 'resolves-soon',
      status: 'resolved',
      url: `${TEST_CDN_URL}/${resolved.variants.get(128)?.storageKey}`,
    });
    expect(second?.status).toBe('resolved');
    // Woken by the notification, not by the end of the wait.
    expect(Date.now() - started).toBeLessThan(3900);
  });

  test('each entry is metered like a single request: billable, fallbacks, new profiles and rejections per key', async () => {
    const counted = await seedKey(database.db, await seedWorkspace(database.db), 'secret');
    await results(
      { profiles: ['alex-rivera', 'no-photo-person', 'alex-rivera', 'bad!', 'failed-person'] },
      counted.key,
    );
    const expected = { billable: 4, notModified: 0, fallbacks: 2, newProfiles: 3, rejected: 1 };
    // A flush may fall between two entries: wait for the last of the counts, not the first.
    await eventually(async () => (await usageOfKey(database.db, counted.id)).billable === expected.billable);
    expect(await usageOfKey(database.db, counted.id)).toEqual(expected);
  });
});

describe('quotas inside one batch', () => {
  test('the new-profile quota runs out at the same entry as it would for requests sent one by one', async () => {
    const workspace = await seedWorkspace(database.db, { monthlyNewProfileQuota: 2 });
    const limited = await seedKey(database.db, workspace, 'secret');
    const answered = await results(
      { profiles: ['alex-rivera', 'no-photo-person', 'failed-person', 'alex-rivera', 'quota-newcomer'] },
      limited.key,
    );
    expect(answered.map((r) => r.status)).toEqual([
      'resolved',
      'no_photo',
      'quota_exceeded',
      'resolved',
      'quota_exceeded',
    ]);
    expect(answered[2]).toMatchObject({
      username: 'failed-person',
      url: null,
      error: { code: 'quota_exceeded' },
    });
    expect(await getWorkspaceMonthUsage(database.db, workspace, monthOf(new Date()))).toMatchObject({ newProfiles: 2 });
    // The profiles it already requested keep being served, alone or in a batch.
    expect((await results({ profiles: ['no-photo-person'] }, limited.key))[0]?.status).toBe('no_photo');
  });

  test('the request quota counts the batch’s own earlier entries', async () => {
    const workspace = await seedWorkspace(database.db, { monthlyRequestQuota: 3 });
    const limited = await seedKey(database.db, workspace, 'secret');
    const answered = await results(
      { profiles: ['alex-rivera', 'alex-rivera', 'no-photo-person', 'failed-person', 'alex-rivera'] },
      limited.key,
    );
    // Two answers for alex-rivera and one for no-photo-person fill the quota of 3; a new profile is refused
    // then, while a profile already requested this month keeps being served.
    expect(answered.map((r) => r.status)).toEqual(['resolved', 'resolved', 'no_photo', 'quota_exceeded', 'resolved']);
  });
});

describe('the rate limit counts entries', () => {
  test('a batch takes one token per entry; one that does not fit is refused whole with 429', async () => {
    await awaitMinuteWithRoom(10);
    const limited = await seedKey(database.db, await seedWorkspace(database.db, { rateLimitPerMinute: 5 }), 'secret');
    const first = await post({ profiles: ['alex-rivera', 'alex-rivera', 'alex-rivera'] }, limited.key);
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-remaining')).toBe('2');
    const second = await post({ profiles: ['alex-rivera', 'alex-rivera', 'alex-rivera'] }, limited.key);
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await errorOf(second)).code).toBe('rate_limited');
  });
});

describe('refusals', () => {
  test('a publishable key → 403 secret_key_required', async () => {
    const publishable = await seedKey(database.db, await seedWorkspace(database.db), 'publishable');
    const res = await post({ profiles: ['alex-rivera'] }, publishable.key);
    expect(res.status).toBe(403);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((await errorOf(res)).code).toBe('secret_key_required');
  });

  test('no key → 401 missing_key; a wrong one → 401 invalid_key', async () => {
    expect((await errorOf(await post({ profiles: ['alex-rivera'] }, ''))).code).toBe('missing_key');
    expect((await errorOf(await post({ profiles: ['alex-rivera'] }, 'sk_live_nope'))).code).toBe('invalid_key');
  });

  test.each([
    ['not JSON', '{"profiles": [', /not JSON/],
    ['empty', '', /empty/],
    ['an array', '["alex-rivera"]', /JSON object/],
    ['without profiles', '{}', /profiles is missing/],
    ['profiles not an array', '{"profiles": "alex-rivera"}', /profiles must be an array/],
    ['no entries', '{"profiles": []}', /1 to 100 entries; it holds 0/],
    ['101 entries', JSON.stringify({ profiles: Array.from({ length: 101 }, (_, i) => `person-${i}`) }), /it holds 101/],
    ['an entry not a string', '{"profiles": ["alex-rivera", 42]}', /profiles\[1\] must be a string/],
    ['a bad size', '{"profiles": ["alex-rivera"], "size": 100}', /size must be one of/],
    ['a size as text', '{"profiles": ["alex-rivera"], "size": "128"}', /size must be one of/],
    ['wait_ms too long', '{"profiles": ["alex-rivera"], "wait_ms": 5001}', /wait_ms must be/],
    ['wait_ms negative', '{"profiles": ["alex-rivera"], "wait_ms": -1}', /wait_ms must be/],
    ['an unknown field', '{"profiles": ["alex-rivera"], "waitMs": 10}', /Unknown field "waitMs"/],
  ])('a body %s → 400 invalid_body naming the problem', async (_name, body, message) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('invalid_body');
    expect(error.message).toMatch(message);
  });

  test('a body over 64 KiB → 400 invalid_body, declared or not', async () => {
    const big = JSON.stringify({ profiles: ['alex-rivera'], padding: 'x'.repeat(70 * 1024) });
    const declared = await post(big);
    expect(declared.status).toBe(400);
    expect((await errorOf(declared)).message).toMatch(/larger than 64 KiB/);
    const streamed = await api.request('/v1/avatars', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key.key },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 70; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(400);
    expect((await errorOf(streamed)).message).toMatch(/larger than 64 KiB/);
  });

  test('just under 64 KiB is read', async () => {
    const profiles = Array.from({ length: 100 }, () => `linkedin.com/in/alex-rivera?${'x'.repeat(600)}`);
    const body = JSON.stringify({ profiles });
    expect(body.length).toBeLessThan(64 * 1024);
    expect(body.length).toBeGreaterThan(60 * 1024);
    const answered = await results(body);
    expect(answered).toHaveLength(100);
    expect(new Set(answered.map((r) => r.status))).toEqual(new Set(['resolved']));
  });

  test('other methods → 405 with Allow: POST', async () => {
    const res = await api.request('/v1/avatars', { headers: { 'x-api-key': key.key } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect((await errorOf(res)).code).toBe('method_not_allowed');
  });
});
