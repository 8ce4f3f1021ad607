import { randomBytes, randomUUID } from 'node:crypto';
import { expect, test } from 'vitest';
import { openDatabase } from '../src/client.ts';
import type { TrafficCounts } from '../src/queries/traffic.queries.ts';
import { addUsageBatch, type UsageCounts } from '../src/queries/usage.queries.ts';
import { useTestDatabase } from '../src/testing/test-database.ts';
import { usageCounts } from './support/usage-counts.ts';

// Several API processes flush at the same instant, each with the keys it served: the key sets overlap
// and arrive in any order, and every batch moves the keys' last use forward (so every batch writes
// api_keys). Each batch must go through on its first try: no deadlock (40P01), nothing lost.
const database = useTestDatabase();

const CONNECTIONS = 6;
const BATCHES_PER_CONNECTION = 25;
const KEYS = 24;
const HOURS = ['2031-02-03T10:00:00Z', '2031-02-03T11:00:00Z'];

async function seedKeys(n: number): Promise<{ workspaceIds: string[]; keyIds: string[] }> {
  const workspaceIds: string[] = [];
  for (let w = 0; w < 3; w++) {
    const row = await database.db
      .insertInto('workspaces')
      .values({ name: `w${w}` })
      .returning('id')
      .executeTakeFirstOrThrow();
    workspaceIds.push(row.id);
  }
  const keyIds: string[] = [];
  for (let i = 0; i < n; i++) {
    const row = await database.db
      .insertInto('api_keys')
      .values({
        workspace_id: workspaceIds[i % workspaceIds.length] as string,
        type: 'publishable',
        key_hash: randomBytes(32),
        prefix: 'pk',
        last4: 'abcd',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    keyIds.push(row.id);
  }
  return { workspaceIds, keyIds };
}

/** A deterministic shuffle (the same run every time), so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

test('concurrent batches over overlapping keys from several connections: none deadlocks, every count lands once', async () => {
  const { workspaceIds, keyIds } = await seedKeys(KEYS);
  const pools = Array.from({ length: CONNECTIONS }, () =>
    openDatabase(database.url, { max: 1, applicationName: 'avtrz-test-flush' }),
  );
  const expected = new Map<string, number>();
  const lastUsed = new Map<string, number>();
  const failures: unknown[] = [];
  let clock = Date.parse('2031-02-03T11:00:00Z');
  try {
    await Promise.all(
      pools.map(async (pool, connection) => {
        for (let n = 0; n < BATCHES_PER_CONNECTION; n++) {
          const seed = connection * 1_000 + n;
          // Two thirds of the keys, a different two thirds and order each time.
          const keys = shuffled(keyIds, seed).slice(0, (KEYS * 2) / 3);
          const rows: UsageCounts[] = [];
          const traffic: TrafficCounts[] = [];
          for (const keyId of keys) {
            for (const hour of HOURS) {
              // Later every time: each batch moves every key's last use.
              rows.push(usageCounts(keyId, hour, { billable: 1, lastUsedAt: new Date((clock += 1)) }));
              traffic.push({
                keyId,
                hour: new Date(hour),
                source: 'host',
                host: `h${seed % 3}.example`,
                requests: 1,
                blocked: 0,
              });
              expected.set(keyId, (expected.get(keyId) ?? 0) + 1);
              lastUsed.set(keyId, clock);
            }
          }
          // Kept going after a failure, so that one run shows how often it happens.
          await addUsageBatch(pool.db, randomUUID(), rows, traffic).then(
            (applied) => applied || failures.push('a new batch id was taken for a resend'),
            (error: unknown) => failures.push(error),
          );
        }
      }),
    );
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
  }
  expect(failures.map((e) => (e as { code?: string }).code ?? String(e))).toEqual([]);

  const hourly = await database.sql<{ key_id: string; billable: number }[]>`
    select key_id, sum(billable)::int as billable from usage_hourly group by key_id`;
  expect(new Map(hourly.map((r) => [r.key_id, r.billable]))).toEqual(expected);
  const [hosts] = await database.sql<{ requests: number }[]>`select sum(requests)::int as requests from traffic_hosts`;
  expect(hosts?.requests).toBe(CONNECTIONS * BATCHES_PER_CONNECTION * ((KEYS * 2) / 3) * HOURS.length);
  const monthly = await database.sql<{ requests: number }[]>`
    select sum(requests)::int as requests from workspace_monthly_usage where workspace_id = any(${workspaceIds}::uuid[])`;
  expect(monthly[0]?.requests).toBe(CONNECTIONS * BATCHES_PER_CONNECTION * ((KEYS * 2) / 3) * HOURS.length);
  // Every key's last use is the latest any batch carried for it, whichever batch committed last.
  const used = await database.sql<{ id: string; last_used_at: Date }[]>`
    select id, last_used_at from api_keys where id = any(${keyIds}::uuid[])`;
  expect(new Map(used.map((r) => [r.id, r.last_used_at.getTime()]))).toEqual(lastUsed);
}, 120_000);
