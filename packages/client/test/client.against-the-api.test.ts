import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ApiUnderTest, TEST_CDN_URL, startApiUnderTest } from '@avtrz/api/testing/api-under-test';
import {
  type SeededPhoto,
  seedKey,
  seedProfileWithoutPhoto,
  seedResolvedProfile,
  seedSigningSecret,
  seedWorkspace,
} from '@avtrz/api/testing/seed';
import { useTestDatabase } from '@avtrz/db/testing';
import {
  AVTRZ_ERROR_CODES,
  AvtrzAuthError,
  AvtrzError,
  AvtrzInvalidRequestError,
  AvtrzQuotaError,
  AvtrzRateLimitError,
  avatarUrl,
  createAvtrzClient,
  signAvatarUrl,
} from '../src/index.ts';

// @avtrz/client against the real API on a socket, with a real PostgreSQL behind it.
const database = useTestDatabase();
let api: ApiUnderTest;
let photo: SeededPhoto;
let secretKey: string;
let publishable: { id: string; key: string };

beforeAll(async () => {
  api = await startApiUnderTest(database);
  const workspace = await seedWorkspace(database.db);
  secretKey = (await seedKey(database.db, workspace, 'secret')).key;
  publishable = await seedKey(database.db, workspace, 'publishable', { allowedDomains: ['shop.example'] });
  photo = await seedResolvedProfile(database.db, api.storage, 'alex-rivera');
  await seedProfileWithoutPhoto(database.db, 'no-photo-person');
});
afterAll(async () => {
  await api?.close();
});

const location = (size: number) => `${TEST_CDN_URL}/${photo.variants.get(size)?.storageKey}`;

describe('avatarUrl()', () => {
  test('builds the URL an <img> on an allowed page loads', async () => {
    const url = avatarUrl('linkedin.com/in/alex-rivera', { baseUrl: api.url, key: publishable.key, size: 64 });
    expect(url).toBe(
      `${api.url}/v1/avatar?key=${publishable.key}&linkedin_url=linkedin.com%2Fin%2Falex-rivera&size=64`,
    );
    const res = await fetch(url, { redirect: 'manual', headers: { referer: 'https://shop.example/team' } });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(location(64));
    expect(avatarUrl({ username: 'alex-rivera' }, { baseUrl: `${api.url}/` })).toBe(
      `${api.url}/v1/avatar?username=alex-rivera`,
    );
  });
});

describe('signAvatarUrl()', () => {
  test('signs with Web Crypto: the API admits the URL without Origin or Referer, and caches it no longer than exp', async () => {
    const { secret } = await seedSigningSecret(database.db, publishable.id);
    const plain = avatarUrl('alex-rivera', { baseUrl: api.url, key: publishable.key });
    expect((await fetch(plain, { redirect: 'manual' })).status).toBe(401);
    const signed = await signAvatarUrl(plain, secret, { expiresIn: 300 });
    expect(new URL(signed).searchParams.get('sig')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    let res = await fetch(signed, { redirect: 'manual' });
    for (let i = 0; res.status === 401 && i < 40; i++) {
      // The new secret reaches the API's memory by notification: give it a moment.
      await new Promise((r) => setTimeout(r, 50));
      res = await fetch(signed, { redirect: 'manual' });
    }
    expect(res.status).toBe(302);
    expect(Number(/max-age=(\d+)/.exec(res.headers.get('cache-control') ?? '')?.[1])).toBeLessThanOrEqual(300);
    // Signing again replaces the old signature instead of adding a second one.
    const resigned = await signAvatarUrl(signed, secret, { expiresAt: new Date(Date.now() + 60_000) });
    expect(new URL(resigned).searchParams.getAll('sig')).toHaveLength(1);
    expect((await fetch(resigned, { redirect: 'manual' })).status).toBe(302);
  });

  test('refuses to run in a browser, where the secret would leak', async () => {
    const global = globalThis as { document?: unknown };
    global.document = {};
    try {
      await expect(signAvatarUrl('https://api.example/v1/avatar?username=a-b-c', 'secret')).rejects.toThrow(/server/);
    } finally {
      delete global.document;
    }
  });
});

describe('lookup()', () => {
  const client = () => createAvtrzClient({ baseUrl: api.url, key: secretKey });

  test('answers the decision as JSON: resolved, no_photo, pending', async () => {
    expect(await client().lookup('alex-rivera', { size: 256 })).toEqual({
      username: 'alex-rivera',
      status: 'resolved',
      size: 256,
      url: location(256),
      etag: `"${photo.variants.get(256)?.contentHash}"`,
    });
    expect((await client().lookup({ linkedinUrl: 'https://www.linkedin.com/in/No-Photo-Person' })).status).toBe(
      'no_photo',
    );
    expect((await client().lookup('someone-unknown')).status).toBe('pending');
  });

  test('error answers are typed errors carrying the contract’s codes', async () => {
    const invalid = await client()
      .lookup('x')
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(AvtrzInvalidRequestError);
    expect(invalid).toMatchObject({ status: 400, code: 'invalid_username', type: 'invalid_request' });

    const badKey = await createAvtrzClient({ baseUrl: api.url, key: 'sk_live_wrong' })
      .lookup('alex-rivera')
      .catch((e: unknown) => e);
    expect(badKey).toBeInstanceOf(AvtrzAuthError);
    expect(badKey).toMatchObject({ status: 401, code: 'invalid_key' });

    const broke = await seedKey(database.db, await seedWorkspace(database.db, { monthlyNewProfileQuota: 0 }), 'secret');
    const quota = await createAvtrzClient({ baseUrl: api.url, key: broke.key })
      .lookup('alex-rivera')
      .catch((e: unknown) => e);
    expect(quota).toBeInstanceOf(AvtrzQuotaError);
    expect(quota).toMatchObject({ status: 402, code: 'quota_exceeded' });

    const busy = await seedKey(database.db, await seedWorkspace(database.db, { rateLimitPerMinute: 1 }), 'secret');
    const limited = createAvtrzClient({ baseUrl: api.url, key: busy.key });
    await limited.lookup('alex-rivera');
    const rate = await limited.lookup('alex-rivera').catch((e: unknown) => e);
    expect(rate).toBeInstanceOf(AvtrzRateLimitError);
    expect(rate).toMatchObject({ status: 429, code: 'rate_limited' });
    expect((rate as AvtrzRateLimitError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(rate).toBeInstanceOf(AvtrzError);
  });
});

describe('batch()', () => {
  test('answers every entry in order; a publishable key is refused with secret_key_required', async () => {
    const { results } = await createAvtrzClient({ baseUrl: api.url, key: secretKey }).batch(
      ['no-photo-person', 'linkedin.com/in/alex-rivera', 'x'],
      { size: 32, waitMs: 0 },
    );
    expect(results.map((r) => [r.input, r.status, r.url])).toEqual([
      ['no-photo-person', 'no_photo', null],
      ['linkedin.com/in/alex-rivera', 'resolved', location(32)],
      ['x', 'invalid', null],
    ]);
    const refused = await createAvtrzClient({ baseUrl: api.url, key: publishable.key })
      .batch(['alex-rivera'])
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AvtrzAuthError);
    expect(refused).toMatchObject({ status: 403, code: 'secret_key_required' });
    const empty = await createAvtrzClient({ baseUrl: api.url, key: secretKey })
      .batch([])
      .catch((e: unknown) => e);
    expect(empty).toMatchObject({ status: 400, code: 'invalid_body' });
  });
});

describe('the package', () => {
  test('knows every error code the API documents', async () => {
    const doc = (await (await api.request('/api/docs/openapi')).json()) as {
      components: { schemas: { Error: { properties: { error: { properties: { code: { enum: string[] } } } } } } };
    };
    const documented = doc.components.schemas.Error.properties.error.properties.code.enum;
    expect(documented.filter((code) => !(AVTRZ_ERROR_CODES as readonly string[]).includes(code))).toEqual([]);
  });

  test('has no dependencies: nothing but its own files is imported', async () => {
    const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      dependencies?: object;
    };
    expect(manifest.dependencies).toBeUndefined();
    const dir = new URL('../src/', import.meta.url);
    for (const file of await readdir(dir)) {
      const text = await readFile(new URL(file, dir), 'utf8');
      for (const [, from] of text.matchAll(/from '([^']+)'/g)) expect(from, `${file} imports ${from}`).toMatch(/^\.\//);
    }
  });
});
