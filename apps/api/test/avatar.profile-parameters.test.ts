import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { type ApiUnderTest, TEST_CDN_URL, startApiUnderTest } from './support/api-under-test.ts';
import { type SeededKey, type SeededPhoto, seedKey, seedResolvedProfile, seedWorkspace } from './support/seed.ts';

const database = useTestDatabase();
let api: ApiUnderTest;
let key: SeededKey;
let alex: SeededPhoto;
let jose: SeededPhoto;

beforeAll(async () => {
  api = await startApiUnderTest(database);
  key = await seedKey(database.db, await seedWorkspace(database.db), 'secret');
  alex = await seedResolvedProfile(database.db, api.storage, 'alex-rivera');
  jose = await seedResolvedProfile(database.db, api.storage, 'josé-garcía');
});
afterAll(async () => {
  await api?.close();
});

const get = (params: Record<string, string>) =>
  api.request(`/v1/avatar?${new URLSearchParams(params)}`, { headers: { 'x-api-key': key.key } });
const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;
const alexAt128 = () => `${TEST_CDN_URL}/${alex.variants.get(128)?.storageKey}`;

describe('linkedin_url: every form of a profile URL names one canonical handle', () => {
  test.each([
    'linkedin.com/in/alex-rivera',
    'www.linkedin.com/in/alex-rivera',
    'https://www.linkedin.com/in/alex-rivera/',
    'http://uk.linkedin.com/in/Alex-Rivera?trk=x#top',
    'https://LINKEDIN.COM/in/ALEX-RIVERA',
    'https://de.linkedin.com/in/alex-rivera/details/experience/',
    'https://www.linkedin.com/in/alex%2Drivera',
    '  linkedin.com/in/alex-rivera  ',
    'https://www.linkedin.com./in/alex-rivera',
  ])('%s', async (url) => {
    const res = await get({ linkedin_url: url });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(alexAt128());
  });

  test('percent-encoded and composed or decomposed Unicode handles are one profile', async () => {
    const expected = `${TEST_CDN_URL}/${jose.variants.get(128)?.storageKey}`;
    for (const url of [
      'linkedin.com/in/jos%C3%A9-garc%C3%ADa',
      'https://www.linkedin.com/in/Jos%C3%A9-Garc%C3%ADa/',
      'linkedin.com/in/josé-garcía',
      'linkedin.com/in/Jose\u0301-Garci\u0301a',
    ]) {
      const res = await get({ linkedin_url: url });
      expect(res.headers.get('location'), url).toBe(expected);
    }
  });

  test.each([
    'linkedin.com.evil.example/in/alex-rivera',
    'evil-linkedin.com/in/alex-rivera',
    'linkedin.co/in/alex-rivera',
    'https://linkedin.com@evil.example/in/alex-rivera',
    'https://user:pass@www.linkedin.com/in/alex-rivera',
    'https://www.linkedin.com/company/acme',
    'https://www.linkedin.com/school/mit',
    'https://www.linkedin.com/in/',
    'https://www.linkedin.com/in',
    'https://www.linkedin.com/',
    'ftp://www.linkedin.com/in/alex-rivera',
    'javascript:alert(1)//linkedin.com/in/alex-rivera',
    'https://www.linkedin.com/in/a',
    'https://www.linkedin.com/in/alex rivera',
    'https://www.linkedin.com/in/%E0%A4%A',
    'https://www.linkedin.com/in/alex%2Frivera',
    'https://www.linkedin.com/in/alex.rivera',
    'not a url at all',
    `https://www.linkedin.com/in/${'a'.repeat(101)}`,
  ])('%s → 400 invalid_linkedin_url', async (url) => {
    const res = await get({ linkedin_url: url });
    expect(res.status).toBe(400);
    expect(await codeOf(res)).toBe('invalid_linkedin_url');
  });
});

describe('username', () => {
  test.each(['alex-rivera', 'Alex-Rivera', 'ALEX-RIVERA'])('%s is the same profile', async (username) => {
    const res = await get({ username });
    expect(res.headers.get('location')).toBe(alexAt128());
  });

  test.each([
    'ab',
    'a'.repeat(101),
    'alex rivera',
    'alex.rivera',
    'alex/rivera',
    '<script>',
    'alex%rivera',
    '😀😀😀',
    'alex\u0000rivera',
  ])('%j → 400 invalid_username', async (username) => {
    const res = await get({ username });
    expect(res.status).toBe(400);
    expect(await codeOf(res)).toBe('invalid_username');
  });

  test('letters of any script, digits, "-" and "_" are a handle', async () => {
    for (const username of ['李小龙', 'ömer_çelik-42', 'abc']) {
      const res = await get({ username });
      expect([200, 302], username).toContain(res.status);
    }
  });
});

describe('exactly one profile', () => {
  test('neither → missing_profile', async () => {
    const res = await get({ size: '64' });
    expect(res.status).toBe(400);
    expect(await codeOf(res)).toBe('missing_profile');
  });

  test('both naming different handles → conflicting_profile', async () => {
    const res = await get({ username: 'someone-else', linkedin_url: 'linkedin.com/in/alex-rivera' });
    expect(res.status).toBe(400);
    expect(await codeOf(res)).toBe('conflicting_profile');
  });

  test('both naming the same handle (any case) is fine', async () => {
    const res = await get({ username: 'ALEX-rivera', linkedin_url: 'https://www.linkedin.com/in/alex-RIVERA/' });
    expect(res.status).toBe(302);
  });
});

describe('size', () => {
  test.each(['0', '1', '100', '1024', '128.0', '0128', '+128', '-128', ' 128', 'large', '', '1e2', '128px'])(
    '%j → 400 invalid_size',
    async (size) => {
      const res = await get({ username: 'alex-rivera', size });
      expect(res.status).toBe(400);
      expect(await codeOf(res)).toBe('invalid_size');
    },
  );
});

describe('other parameters', () => {
  test('refresh (deprecated) and unknown parameters are ignored', async () => {
    const extras: Record<string, string>[] = [
      { refresh: 'true' },
      { refresh: '1' },
      { utm_source: 'x', callback: 'evil' },
    ];
    for (const extra of extras) {
      const res = await get({ username: 'alex-rivera', ...extra });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(alexAt128());
    }
  });

  test('no request parameter can steer Location', async () => {
    const res = await api.request(
      `/v1/avatar?username=alex-rivera&location=https://evil.example&cdn=https://evil.example&redirect=https://evil.example`,
      { headers: { 'x-api-key': key.key, host: 'evil.example', 'x-forwarded-host': 'evil.example' } },
    );
    expect(res.headers.get('location')).toBe(alexAt128());
  });
});
