import { afterAll, beforeAll, expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { creditOf, maxChunkOf } from '../src/metering/rate-limiter.ts';
import { type ApiProcess, awaitMinuteWithRoom, eventually, startApiProcess, usageOfKey } from './support/metering.ts';
import { seedKey, seedProfileWithoutPhoto, seedWorkspace } from './support/seed.ts';

// Two API processes against one database keep a key within its per-minute limit as a whole:
// accepted ≤ limit + N·creditOf(limit), and no fewer than limit − N·maxChunkOf(limit).
const database = useTestDatabase();
const processes: ApiProcess[] = [];

beforeAll(async () => {
  await seedProfileWithoutPhoto(database.db, 'alex-rivera');
  processes.push(...(await Promise.all([0, 1].map(() => startApiProcess(database.url, { USAGE_FLUSH_MS: '200' })))));
}, 60_000);
afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
});

test('a burst spread over both processes gets the minute limit, within the stated tolerance', async () => {
  const limit = 120;
  const key = await seedKey(
    database.db,
    await seedWorkspace(database.db, { rateLimitPerMinute: limit }),
    'publishable',
  );
  await awaitMinuteWithRoom(25);
  const minute = Math.floor(Date.now() / 60_000);

  let accepted = 0;
  let limited = 0;
  let sent = 0;
  const total = 400;
  // Eight clients, each alternating between the two processes.
  await Promise.all(
    Array.from({ length: 8 }, async (_, client) => {
      for (let i = client; sent < total; i++) {
        sent++;
        const api = processes[i % 2] as ApiProcess;
        const res = await fetch(`${api.url}/v1/avatar?username=alex-rivera`, { headers: { 'x-api-key': key.key } });
        await res.arrayBuffer();
        if (res.status === 200) accepted++;
        else if (res.status === 429) limited++;
        else throw new Error(`unexpected ${res.status}`);
      }
    }),
  );
  expect(Math.floor(Date.now() / 60_000)).toBe(minute); // the burst stayed within one minute window
  const n = processes.length;
  console.info(`rate limit ${limit}/min over ${n} processes: ${accepted} accepted, ${limited} refused of ${total}`);
  expect(accepted + limited).toBe(total);
  expect(accepted).toBeLessThanOrEqual(limit + n * creditOf(limit));
  expect(accepted).toBeGreaterThanOrEqual(limit - n * maxChunkOf(limit));

  // Every accepted answer is billed once, every refusal counted as rejected.
  await eventually(async () => {
    const usage = await usageOfKey(database.db, key.id);
    return usage.billable === accepted && usage.rejected === limited;
  });
});
