import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { loadConfig } from '@avtrz/shared/config';
import { createLogger } from '@avtrz/shared/logger';
import { createMetering } from '../src/metering/create-metering.ts';
import { type ApiUnderTest, startApiUnderTest } from './support/api-under-test.ts';
import { awaitMinuteWithRoom, eventually, loadKeyForRequest, usageOfKey } from './support/metering.ts';
import { seedKey, seedResolvedProfile, seedWorkspace } from './support/seed.ts';

// CONTRACT §3: over the per-key limit, 429 rate_limited with Retry-After; every keyed answer carries
// RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset. The limit counts per UTC minute.
const database = useTestDatabase();

describe('over HTTP', () => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApiUnderTest(database, { env: { USAGE_FLUSH_MS: '100' } });
    await seedResolvedProfile(database.db, api.storage, 'alex-rivera');
  });
  afterAll(async () => {
    await api?.close();
  });

  test('five a minute: the budget counts down in the headers, the sixth is a 429 saying when to come back', async () => {
    const workspaceId = await seedWorkspace(database.db, { rateLimitPerMinute: 5 });
    const key = await seedKey(database.db, workspaceId, 'secret');
    const sibling = await seedKey(database.db, workspaceId, 'publishable');
    await awaitMinuteWithRoom(15);
    const send = (k = key.key, query = 'username=alex-rivera') =>
      api.request(`/v1/avatar?${query}`, { headers: { 'x-api-key': k } });

    for (const remaining of [4, 3, 2, 1, 0]) {
      const res = await send();
      expect(res.status).toBe(302);
      expect(res.headers.get('ratelimit-limit')).toBe('5');
      expect(res.headers.get('ratelimit-remaining')).toBe(String(remaining));
      const reset = Number(res.headers.get('ratelimit-reset'));
      expect(reset).toBeGreaterThanOrEqual(1);
      expect(reset).toBeLessThanOrEqual(60);
    }
    for (let i = 0; i < 3; i++) {
      const res = await send();
      expect(res.status).toBe(429);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('ratelimit-limit')).toBe('5');
      expect(res.headers.get('ratelimit-remaining')).toBe('0');
      const retryAfter = res.headers.get('retry-after') ?? '';
      expect(retryAfter).toMatch(/^[1-9]\d*$/);
      expect(Number(retryAfter)).toBeLessThanOrEqual(Number(res.headers.get('ratelimit-reset')));
      expect(await res.json()).toMatchObject({ error: { type: 'rate_limit', code: 'rate_limited' } });
    }
    // A bad request still takes from the budget of an identified key, and is refused as a 429 here.
    expect((await send(key.key, 'size=3')).status).toBe(429);
    // The limit is per key: the workspace's other key has its own.
    const other = await send(sibling.key);
    expect(other.status).toBe(302);
    expect(other.headers.get('ratelimit-remaining')).toBe('4');

    // 429s are not billed; they are counted as rejected.
    await eventually(async () => (await usageOfKey(database.db, key.id)).rejected === 4);
    expect(await usageOfKey(database.db, key.id)).toMatchObject({ billable: 5, rejected: 4 });
  });
});

describe('minute windows (clock passed in)', () => {
  test('a spent minute refuses until its end, the next minute starts with the whole budget', async () => {
    const config = loadConfig({ DATABASE_URL: database.url, USAGE_FLUSH_MS: '60000' });
    const metering = createMetering({
      config,
      database,
      logger: createLogger({ name: 'test', level: 'silent', pretty: false }),
    });
    try {
      const key = await loadKeyForRequest(
        database.db,
        (await seedKey(database.db, await seedWorkspace(database.db, { rateLimitPerMinute: 30 }), 'secret')).id,
      );
      const at = (iso: string) => Date.parse(iso);
      const settle = () => new Promise((r) => setTimeout(r, 30));
      let accepted = 0;
      for (let i = 0; i < 40; i++) {
        if (metering.takeRateLimit(key, at('2030-01-01T12:00:10Z')).allowed) accepted++;
        await settle(); // let leases come back, as between real requests
      }
      expect(accepted).toBe(30);
      const refused = metering.takeRateLimit(key, at('2030-01-01T12:00:10Z'));
      expect(refused).toMatchObject({
        allowed: false,
        limit: 30,
        remaining: 0,
        resetSeconds: 50,
        retryAfterSeconds: 50,
      });
      expect(metering.takeRateLimit(key, at('2030-01-01T12:00:59.500Z'))).toMatchObject({
        allowed: false,
        resetSeconds: 1,
        retryAfterSeconds: 1,
      });
      const next = metering.takeRateLimit(key, at('2030-01-01T12:01:00Z'));
      expect(next).toMatchObject({ allowed: true, limit: 30, remaining: 29, resetSeconds: 60 });
    } finally {
      await metering.close();
    }
  });
});
