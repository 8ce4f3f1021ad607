import { afterAll, beforeAll, expect, test } from 'vitest';
import { getRateLimitWindowTotal } from '@avtrz/db/queries/rate-limits.queries';
import { useTestDatabase } from '@avtrz/db/testing';
import { type CuttableProxy, startCuttableProxy } from '@avtrz/shared/testing/cuttable-proxy';
import { maxChunkOf } from '../src/metering/rate-limiter.ts';
import { type ApiUnderTest, startApiUnderTest } from './support/api-under-test.ts';
import { awaitMinuteWithRoom } from './support/metering.ts';
import { seedKey, seedProfileWithoutPhoto, seedWorkspace } from './support/seed.ts';

// A rate-limit claim that times out may still be counted once the database answers. Sending its
// tokens again charged the key twice, until a key far under its limit was refused. A key under its
// limit is never refused, whatever the database's delays.
const database = useTestDatabase();
let proxy: CuttableProxy;
let api: ApiUnderTest;

beforeAll(async () => {
  await seedProfileWithoutPhoto(database.db, 'alex-rivera');
  proxy = await startCuttableProxy(database.url);
  api = await startApiUnderTest({ ...database, url: proxy.url }, { ownPool: true });
});
afterAll(async () => {
  await api?.close();
  await proxy?.close();
});

test('a database whose answers come seconds late never gets a key under its limit refused', async () => {
  const limit = 100;
  const key = await seedKey(database.db, await seedWorkspace(database.db, { rateLimitPerMinute: limit }), 'secret');
  await awaitMinuteWithRoom(22);
  const windowStart = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const statuses: number[] = [];
  const send = async (count: number, everyMs: number) => {
    for (let i = 0; i < count; i++) {
      const response = await api.request('/v1/avatar?username=alex-rivera', { headers: { 'x-api-key': key.key } });
      await response.arrayBuffer();
      statuses.push(response.status);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  };
  await send(5, 100);
  // Claims run, but their answers arrive after the limiter's 3 s timeout.
  proxy.delayAnswers(4500);
  await send(24, 500);
  proxy.delayAnswers(0);
  await send(6, 500);

  // 35 requests, a third of the limit: every one answered.
  expect(statuses.filter((s) => s !== 200)).toEqual([]);
  // And charged once: what the minute holds is what was accepted, plus at most one unused lease.
  await new Promise((r) => setTimeout(r, 1500));
  const total = await getRateLimitWindowTotal(database.db, key.id, windowStart);
  expect(total).toBeGreaterThanOrEqual(statuses.length);
  expect(total).toBeLessThanOrEqual(statuses.length + maxChunkOf(limit));
  // Up to 22 s waiting for a minute with room, then ~17 s of requests: more than the default 30 s.
}, 75_000);
