import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signAvatarUrl } from '@avtrz/client';
import { useTestDatabase } from '@avtrz/db/testing';
import { type ApiUnderTest, startApiUnderTest } from './support/api-under-test.ts';
import { eventually, usageOfKey } from './support/metering.ts';
import {
  revokeSigningSecret,
  type SeededKey,
  seedKey,
  seedResolvedProfile,
  seedSigningSecret,
  seedWorkspace,
} from './support/seed.ts';

// CONTRACT §8: a publishable key locked to domains serves signed URLs that carry no Origin or Referer.
const database = useTestDatabase();
// Two API processes (each its own pool and listening connection), for revocation on every process.
let first: ApiUnderTest;
let second: ApiUnderTest;
let key: SeededKey;
let secret: { id: string; secret: string };

beforeAll(async () => {
  first = await startApiUnderTest(database, { ownPool: true, env: { USAGE_FLUSH_MS: '100' } });
  second = await startApiUnderTest(database, { ownPool: true, dataDir: first.config.dataDir });
  key = await seedKey(database.db, await seedWorkspace(database.db), 'publishable', {
    allowedDomains: ['shop.example'],
  });
  secret = await seedSigningSecret(database.db, key.id);
  await seedResolvedProfile(database.db, first.storage, 'alex-rivera');
});
afterAll(async () => {
  await second?.close();
  await first?.close();
});

const unsigned = (k = key.key) => `/v1/avatar?key=${k}&username=alex-rivera&size=128`;
const sign = async (path: string, withSecret = secret.secret, options: Parameters<typeof signAvatarUrl>[2] = {}) => {
  const url = new URL(await signAvatarUrl(`http://api.example${path}`, withSecret, options));
  return `${url.pathname}${url.search}`;
};
// No Origin, no Referer: as from an email client or a page with Referrer-Policy: no-referrer.
const get = (api: ApiUnderTest, path: string, headers: Record<string, string> = {}) =>
  api.request(path, { headers: { accept: 'application/json', ...headers } });
const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('signed URLs', () => {
  test('without a signature, the domain-locked key refuses a request with no Origin or Referer', async () => {
    const res = await get(first, unsigned());
    expect(res.status).toBe(401);
    expect(await codeOf(res)).toBe('domain_blocked');
  });

  test('a valid signature without exp is admitted without the domain check, cached as usual', async () => {
    const res = await get(first, await sign(unsigned()));
    expect(res.status).toBe(302);
    expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
    // From a foreign page too: the signature, not the page, vouches for the request.
    expect((await get(first, await sign(unsigned()), { origin: 'https://elsewhere.example' })).status).toBe(302);
  });

  test('the signature is the unpadded base64url HMAC-SHA256 of the canonical string of §8', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    // Parameters sorted by name, values encoded as encodeURIComponent does; sig itself left out.
    const canonical = `/v1/avatar?exp=${exp}&key=${key.key}&linkedin_url=linkedin.com%2Fin%2Falex-rivera&size=64`;
    const sig = createHmac('sha256', secret.secret).update(canonical).digest('base64url');
    expect(sig).not.toContain('=');
    const path = `/v1/avatar?size=64&linkedin_url=linkedin.com/in/alex-rivera&key=${key.key}&exp=${exp}&sig=${sig}`;
    const res = await get(first, path);
    expect(res.status).toBe(302);
  });

  test('with exp: Cache-Control no longer than the time left', async () => {
    const res = await get(first, await sign(unsigned(), secret.secret, { expiresIn: 120 }));
    expect(res.status).toBe(302);
    const maxAge = Number(/max-age=(\d+)/.exec(res.headers.get('cache-control') ?? '')?.[1]);
    expect(maxAge).toBeGreaterThan(100);
    expect(maxAge).toBeLessThanOrEqual(120);
    // The 304 for the same URL is held to the same bound.
    const etag = res.headers.get('etag') ?? '';
    const revalidated = await get(first, await sign(unsigned(), secret.secret, { expiresIn: 90 }), {
      'if-none-match': etag,
    });
    expect(revalidated.status).toBe(304);
    expect(Number(/max-age=(\d+)/.exec(revalidated.headers.get('cache-control') ?? '')?.[1])).toBeLessThanOrEqual(90);
    // A far expiry is still capped at the photo's usual day.
    const far = await get(first, await sign(unsigned(), secret.secret, { expiresIn: 30 * 86400 }));
    expect(far.headers.get('cache-control')).toBe('public, max-age=86400');
  });

  test('a wrong signature → 401 invalid_signature, even from an allowed domain', async () => {
    const other = await sign(unsigned(), 'avtrz_sig_not-the-secret-of-this-key-at-all-0000000');
    const res = await get(first, other, { origin: 'https://shop.example' });
    expect(res.status).toBe(401);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await codeOf(res)).toBe('invalid_signature');
    for (const bad of ['', 'abc', 'A'.repeat(43), `${'A'.repeat(42)}=`]) {
      expect(await codeOf(await get(first, `${unsigned()}&sig=${bad}`))).toBe('invalid_signature');
    }
  });

  test('a tampered URL → 401 invalid_signature (a changed size, an added parameter, a later exp)', async () => {
    const signed = await sign(unsigned(), secret.secret, { expiresIn: 60 });
    const tampered = [
      signed.replace('size=128', 'size=512'),
      `${signed}&refresh=1`,
      signed.replace(/exp=(\d+)/, (_m, exp: string) => `exp=${Number(exp) + 3600}`),
      signed.replace('username=alex-rivera', 'username=jane-doe'),
    ];
    for (const path of tampered) {
      const res = await get(first, path);
      expect(res.status, path).toBe(401);
      expect(await codeOf(res)).toBe('invalid_signature');
    }
  });

  test('exp in the past → 401 signature_expired', async () => {
    const expired = await sign(unsigned(), secret.secret, { expiresAt: Math.floor(Date.now() / 1000) - 1 });
    const res = await get(first, expired);
    expect(res.status).toBe(401);
    expect(await codeOf(res)).toBe('signature_expired');
    // An image element gets the fallback SVG with the code, as for every error.
    const image = await first.request(expired, { headers: { 'sec-fetch-dest': 'image' } });
    expect(image.status).toBe(401);
    expect(image.headers.get('content-type')).toBe('image/svg+xml');
    expect(image.headers.get('x-avtrz-error')).toBe('signature_expired');
  });

  test('a URL that was valid stops working when its exp passes, however often it was served', async () => {
    const soon = await sign(unsigned(), secret.secret, { expiresAt: Math.floor(Date.now() / 1000) + 2 });
    for (let i = 0; i < 3; i++) expect((await get(first, soon)).status).toBe(302);
    await within(3500, async () => (await get(first, soon)).status === 401);
    expect(await codeOf(await get(first, soon))).toBe('signature_expired');
  });

  test('refused signatures are metered as rejected, valid ones billed', async () => {
    const counted = await seedKey(database.db, await seedWorkspace(database.db), 'publishable', {
      allowedDomains: ['shop.example'],
    });
    const own = await seedSigningSecret(database.db, counted.id);
    expect((await get(first, await sign(unsigned(counted.key), own.secret))).status).toBe(302);
    expect((await get(first, await sign(unsigned(counted.key), secret.secret))).status).toBe(401);
    await eventually(async () => (await usageOfKey(database.db, counted.id)).rejected === 1);
    expect(await usageOfKey(database.db, counted.id)).toMatchObject({ billable: 1, rejected: 1 });
  });

  test('rotation: under the second secret both work; after revoking the first, only the second, on every process within 2 s', async () => {
    const rotating = await seedKey(database.db, await seedWorkspace(database.db), 'publishable', {
      allowedDomains: ['shop.example'],
    });
    const old = await seedSigningSecret(database.db, rotating.id);
    const byOld = await sign(unsigned(rotating.key), old.secret);
    for (const api of [first, second]) expect((await get(api, byOld)).status).toBe(302);

    const next = await seedSigningSecret(database.db, rotating.id);
    const byNext = await sign(unsigned(rotating.key), next.secret);
    for (const api of [first, second]) {
      await within(2000, async () => (await get(api, byNext)).status === 302);
      expect((await get(api, byOld)).status).toBe(302);
    }

    await revokeSigningSecret(database.db, old.id, rotating.id);
    for (const api of [first, second]) {
      await within(2000, async () => (await get(api, byOld)).status === 401);
      expect(await codeOf(await get(api, byOld))).toBe('invalid_signature');
      expect((await get(api, byNext)).status).toBe(302);
    }
  });
});

async function within(ms: number, check: () => Promise<boolean>): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
