import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { creditOf, maxChunkOf } from '../src/metering/rate-limiter.ts';
import { type ApiProcess, awaitMinuteWithRoom, eventually, startApiProcess, usageOfKey } from './support/metering.ts';
import { revokeKey, seedKey, seedProfileWithoutPhoto, seedWorkspace } from './support/seed.ts';

// CONTRACT §9: API_PROCESSES=2 runs two API processes on one port, each with its own caches; together
// they answer as one process does (keys, revocation, quotas, rate limits, usage). Every request here
// comes on a connection of its own, so the kernel spreads them over both processes; the access log
// (each line carries its process's pid) shows that both answered.
const database = useTestDatabase();
let api: ApiProcess;
const handles = Array.from({ length: 30 }, (_, i) => `spread-person-${i}`);

beforeAll(async () => {
  for (const handle of ['alex-rivera', ...handles]) await seedProfileWithoutPhoto(database.db, handle);
  api = await startApiProcess(database.url, { API_PROCESSES: '2', USAGE_FLUSH_MS: '250' });
}, 60_000);
afterAll(async () => {
  await api?.stop();
});

/** GET on a new connection; resolves with the status. */
function fresh(path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    get(`${api.url}${path}`, { agent: false, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

/** Pids of the processes whose access-log lines carry `marker` in their request id. */
function answeringPids(marker: string): Set<number> {
  const pids = new Set<number>();
  for (const line of api.stdoutLines()) {
    const entry = JSON.parse(line) as { reqId?: string; pid?: number };
    if (entry.reqId?.startsWith(marker) && entry.pid !== undefined) pids.add(entry.pid);
  }
  return pids;
}

async function burst(count: number, path: (i: number) => string, headers: Record<string, string>, marker: string) {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += 10) {
    const batch = Array.from({ length: Math.min(10, count - i) }, (_, j) =>
      fresh(path(i + j), { ...headers, 'x-request-id': `${marker}-${i + j}` }),
    );
    statuses.push(...(await Promise.all(batch)));
  }
  return statuses;
}

describe('API_PROCESSES=2', () => {
  test('two processes, not the supervisor, answer on the one port', async () => {
    const key = await seedKey(database.db, await seedWorkspace(database.db), 'secret');
    const statuses = await burst(40, () => '/v1/avatar?username=alex-rivera', { 'x-api-key': key.key }, 'spread');
    expect(statuses.every((s) => s === 200)).toBe(true);
    await eventually(async () => answeringPids('spread-').size === 2);
    expect(answeringPids('spread-').has(api.pid)).toBe(false);
  });

  test('a revoked key is refused by both processes within 2 seconds', async () => {
    const key = await seedKey(database.db, await seedWorkspace(database.db), 'secret');
    // Both processes have the key in memory.
    const before = await burst(20, () => '/v1/avatar?username=alex-rivera', { 'x-api-key': key.key }, 'warm');
    expect(before.every((s) => s === 200)).toBe(true);
    await eventually(async () => answeringPids('warm-').size === 2);
    await revokeKey(database.db, key.id);
    const revokedAt = Date.now();
    await eventually(async () => {
      const after = await burst(20, () => '/v1/avatar?username=alex-rivera', { 'x-api-key': key.key }, 'revoked');
      return after.every((s) => s === 401);
    }, 5_000);
    expect(Date.now() - revokedAt).toBeLessThan(2_000);
  });

  test('the new-profile quota is exact over both processes', async () => {
    const key = await seedKey(database.db, await seedWorkspace(database.db, { monthlyNewProfileQuota: 10 }), 'secret');
    const statuses = await burst(
      handles.length,
      (i) => `/v1/avatar?username=${handles[i]}`,
      { 'x-api-key': key.key },
      'quota',
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 402)).toHaveLength(handles.length - 10);
    await eventually(async () => answeringPids('quota-').size === 2);
  });

  test('the rate limit holds over both processes, within the tolerance two deployments have', async () => {
    const limit = 60;
    const key = await seedKey(database.db, await seedWorkspace(database.db, { rateLimitPerMinute: limit }), 'secret');
    await awaitMinuteWithRoom(20);
    const statuses = await burst(150, () => '/v1/avatar?username=alex-rivera', { 'x-api-key': key.key }, 'rate');
    const accepted = statuses.filter((s) => s === 200).length;
    expect(accepted + statuses.filter((s) => s === 429).length).toBe(150);
    expect(accepted).toBeLessThanOrEqual(limit + 2 * creditOf(limit));
    expect(accepted).toBeGreaterThanOrEqual(limit - 2 * maxChunkOf(limit));
    await eventually(async () => answeringPids('rate-').size === 2);
  });

  test('a killed process is replaced, and SIGTERM stops all with every count written', async () => {
    const key = await seedKey(database.db, await seedWorkspace(database.db), 'secret');
    const path = () => '/v1/avatar?username=alex-rivera';
    const first = await burst(20, path, { 'x-api-key': key.key }, 'kill-before');
    await eventually(async () => answeringPids('kill-before-').size === 2);
    const [victim] = [...answeringPids('kill-before-')] as [number];
    process.kill(victim, 'SIGKILL');
    await eventually(async () => api.stdoutLines().some((l) => l.includes('api process died')));
    // The survivor answers meanwhile; the replacement joins it.
    const second: number[] = [];
    await eventually(async () => {
      second.push(...(await burst(10, path, { 'x-api-key': key.key }, 'kill-after')));
      const pids = answeringPids('kill-after-');
      return pids.size === 2 && !pids.has(victim);
    }, 20_000);
    expect([...first, ...second].every((s) => s === 200)).toBe(true);
    // What the killed process had not written yet is lost (kill -9): a new key counts what follows.
    const counted = await seedKey(database.db, await seedWorkspace(database.db), 'secret');
    const last = await burst(30, path, { 'x-api-key': counted.key }, 'last');
    expect(last.every((s) => s === 200)).toBe(true);
    await eventually(async () => answeringPids('last-').size === 2);
    const children = [...answeringPids('last-')];

    expect(await api.stop('SIGTERM')).toBe(0);
    expect(await usageOfKey(database.db, counted.id)).toMatchObject({ billable: 30, rejected: 0 });
    for (const pid of children) expect(() => process.kill(pid, 0)).toThrow();
  }, 60_000);
});
