import { randomBytes, randomUUID } from 'node:crypto';
import { expect, test } from 'vitest';
import type { TrafficCounts } from '../src/queries/traffic.queries.ts';
import { addUsageBatch } from '../src/queries/usage.queries.ts';
import { useTestDatabase } from '../src/testing/test-database.ts';
import { usageCounts } from './support/usage-counts.ts';

// Every usage batch rewrites rows that are already there (a key-hour is written once a second by every
// API process). The tables keep room on each page (migration 0008), so a rewritten row stays on its
// page as a heap-only update: no new index entry, no row wandering to the end of the table.
const database = useTestDatabase();

const HOURS = 1_500;
const START = Date.parse('2032-01-01T00:00:00Z');

async function seedKey(): Promise<string> {
  const workspace = await database.db
    .insertInto('workspaces')
    .values({ name: 'w' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const key = await database.db
    .insertInto('api_keys')
    .values({ workspace_id: workspace.id, type: 'secret', key_hash: randomBytes(32), prefix: 'sk', last4: 'abcd' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return key.id;
}

/** Where each row lives (its page), by its hour, and the table's index sizes. */
async function layout(keyId: string) {
  const pages = async (table: 'usage_hourly' | 'traffic_hosts') => {
    const rows = await database.sql<{ hour: Date; ctid: string }[]>`
      select hour, ctid::text as ctid from ${database.sql(table)} where key_id = ${keyId} order by hour`;
    return rows.map((r) => `${r.hour.toISOString()} page ${r.ctid.slice(1).split(',')[0]}`);
  };
  const [sizes] = await database.sql<{ hourly: string; traffic: string }[]>`
    select pg_indexes_size('usage_hourly')::text as hourly, pg_indexes_size('traffic_hosts')::text as traffic`;
  return { hourly: await pages('usage_hourly'), traffic: await pages('traffic_hosts'), indexSizes: sizes };
}

test('a batch adding to existing key-hours rewrites their rows on their own pages, adding no index entries', async () => {
  const keyId = await seedKey();
  const batch = (n: number) => {
    const hours = Array.from({ length: HOURS }, (_, h) => new Date(START + h * 3_600_000).toISOString());
    const usage = hours.map((hour) => usageCounts(keyId, hour, { billable: n, lastUsedAt: new Date(START + n) }));
    const traffic: TrafficCounts[] = hours.map((hour) => ({
      keyId,
      hour: new Date(hour),
      source: 'host',
      host: 'www.example.com',
      requests: n,
      blocked: 0,
    }));
    return addUsageBatch(database.db, randomUUID(), usage, traffic);
  };
  expect(await batch(1)).toBe(true);
  const before = await layout(keyId);
  // Enough rows for several pages of each table: a full page could not keep them.
  expect(new Set(before.hourly.map((p) => p.split(' page ')[1])).size).toBeGreaterThan(3);
  expect(new Set(before.traffic.map((p) => p.split(' page ')[1])).size).toBeGreaterThan(3);

  expect(await batch(2)).toBe(true);
  const after = await layout(keyId);
  expect(after.hourly).toEqual(before.hourly);
  expect(after.traffic).toEqual(before.traffic);
  expect(after.indexSizes).toEqual(before.indexSizes);

  const [sum] = await database.sql<{ billable: number; requests: number }[]>`
    select (select sum(billable)::int from usage_hourly where key_id = ${keyId}) as billable,
      (select sum(requests)::int from traffic_hosts where key_id = ${keyId}) as requests`;
  expect(sum).toEqual({ billable: 3 * HOURS, requests: 3 * HOURS });
});
