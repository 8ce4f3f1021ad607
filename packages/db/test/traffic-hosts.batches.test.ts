import { randomBytes, randomUUID } from 'node:crypto';
import { expect, test } from 'vitest';
import { type TrafficCounts, trafficHostsPerKeyHour, trafficPerKey } from '../src/queries/traffic.queries.ts';
import { addUsageBatch } from '../src/queries/usage.queries.ts';
import { useTestDatabase } from '../src/testing/test-database.ts';
import { usageCounts } from './support/usage-counts.ts';

// traffic_hosts (migration 0005) is written by the usage batches: a resent batch counts once, and a
// key-hour keeps a bounded number of hosts by name however the hosts arrive.
const database = useTestDatabase();

async function seedKey(): Promise<{ workspaceId: string; keyId: string }> {
  const workspace = await database.db
    .insertInto('workspaces')
    .values({ name: 'w' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const key = await database.db
    .insertInto('api_keys')
    .values({ workspace_id: workspace.id, type: 'publishable', key_hash: randomBytes(32), prefix: 'pk', last4: 'abcd' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { workspaceId: workspace.id, keyId: key.id };
}

const HOUR = '2030-01-01T10:00:00Z';
const host = (keyId: string, name: string, requests: number, blocked = 0, hour = HOUR): TrafficCounts => ({
  keyId,
  hour: new Date(hour),
  source: 'host',
  host: name,
  requests,
  blocked,
});

async function sourcesOf(workspaceId: string) {
  const [key] = await trafficPerKey(database.db, { workspaceId, since: new Date('2030-01-01'), now: new Date(0) });
  return key?.sources;
}

test('a batch sent again with its id adds nothing: usage and traffic are counted once', async () => {
  const { workspaceId, keyId } = await seedKey();
  const batchId = randomUUID();
  const usage = [usageCounts(keyId, HOUR, { billable: 3, rejected: 2 })];
  const traffic: TrafficCounts[] = [
    host(keyId, 'example.com', 3),
    host(keyId, 'evil.example', 2, 2),
    { keyId, hour: new Date(HOUR), source: 'none', host: null, requests: 1, blocked: 1 },
  ];
  expect(await addUsageBatch(database.db, batchId, usage, traffic)).toBe(true);
  expect(await addUsageBatch(database.db, batchId, usage, traffic)).toBe(false);
  expect(await sourcesOf(workspaceId)).toEqual([
    { source: 'host', host: 'example.com', requests: 3, blocked: 0 },
    { source: 'host', host: 'evil.example', requests: 2, blocked: 2 },
    { source: 'none', host: null, requests: 1, blocked: 1 },
  ]);
  // Another batch adds to the same rows.
  await addUsageBatch(database.db, randomUUID(), [], [host(keyId, 'example.com', 4)]);
  expect((await sourcesOf(workspaceId))?.[0]).toEqual({ source: 'host', host: 'example.com', requests: 7, blocked: 0 });
});

test('past the hosts a key-hour keeps by name, new hosts add to "other"; known ones and other hours keep theirs', async () => {
  const { workspaceId, keyId } = await seedKey();
  const n = trafficHostsPerKeyHour;
  const names = Array.from({ length: n + 5 }, (_, i) => `h${String(i).padStart(2, '0')}.example`);
  // The first batch brings all but the last three hosts, the busiest first to get the places.
  const first = names.slice(0, n + 2).map((name, i) => host(keyId, name, i === n + 1 ? 50 : 1, 1));
  await addUsageBatch(database.db, randomUUID(), [], first);
  // Later batches: a known host, new hosts this hour, and a new host in the next hour.
  await addUsageBatch(database.db, randomUUID(), [], [host(keyId, names[0]!, 10), host(keyId, names[n + 2]!, 2)]);
  await addUsageBatch(database.db, randomUUID(), [], [host(keyId, names[n + 3]!, 3, 0, '2030-01-01T11:00:00Z')]);

  const rows = await database.db
    .selectFrom('traffic_hosts')
    .select(['hour', 'source', 'host', 'requests', 'blocked'])
    .where('key_id', '=', keyId)
    .orderBy('hour')
    .orderBy('source')
    .orderBy('host')
    .execute();
  const tenOClock = rows.filter((r) => r.hour.toISOString() === '2030-01-01T10:00:00.000Z');
  const named = tenOClock.filter((r) => r.source === 'host');
  expect(named).toHaveLength(n);
  // The busiest host of the first batch got a place; of the equal ones, the first by name.
  expect(named.map((r) => r.host)).toEqual([...names.slice(0, n - 1), names[n + 1]].sort());
  expect(named.find((r) => r.host === names[0])).toMatchObject({ requests: 11, blocked: 1 });
  // names[n-1] and names[n] (1 request each, 1 blocked) of the first batch, names[n+2] (2) of the second.
  expect(tenOClock.find((r) => r.source === 'other')).toMatchObject({ host: '', requests: 4, blocked: 2 });
  expect(rows.filter((r) => r.hour.toISOString() === '2030-01-01T11:00:00.000Z')).toEqual([
    { hour: new Date('2030-01-01T11:00:00Z'), source: 'host', host: names[n + 3], requests: 3, blocked: 0 },
  ]);
  // Read back per key: every request is in some row.
  const sources = (await sourcesOf(workspaceId))!;
  expect(sources.reduce((sum, s) => sum + s.requests, 0)).toBe(n + 1 + 50 + 10 + 2 + 3);
});

test('counts of a deleted key are dropped, the rest of the batch is written', async () => {
  const { workspaceId, keyId } = await seedKey();
  const gone = await seedKey();
  await database.db.deleteFrom('api_keys').where('id', '=', gone.keyId).execute();
  expect(
    await addUsageBatch(database.db, randomUUID(), [], [host(gone.keyId, 'a.example', 1), host(keyId, 'b.example', 1)]),
  ).toBe(true);
  expect(await sourcesOf(workspaceId)).toEqual([{ source: 'host', host: 'b.example', requests: 1, blocked: 0 }]);
});

test('read back, a key lists its busiest hosts by name and adds the rest to "other"', async () => {
  const { workspaceId, keyId } = await seedKey();
  await addUsageBatch(
    database.db,
    randomUUID(),
    [],
    [
      host(keyId, 'a.example', 5),
      host(keyId, 'b.example', 3, 1),
      host(keyId, 'c.example', 2, 2),
      { keyId, hour: new Date(HOUR), source: 'other', host: null, requests: 4, blocked: 0 },
      { keyId, hour: new Date(HOUR), source: 'none', host: null, requests: 1, blocked: 0 },
    ],
  );
  const [key] = await trafficPerKey(database.db, {
    workspaceId,
    since: new Date('2030-01-01'),
    now: new Date(0),
    maxHostsPerKey: 1,
  });
  expect(key?.sources).toEqual([
    { source: 'other', host: null, requests: 9, blocked: 3 },
    { source: 'host', host: 'a.example', requests: 5, blocked: 0 },
    { source: 'none', host: null, requests: 1, blocked: 0 },
  ]);
  // Hours before `since` are left out.
  const later = await trafficPerKey(database.db, {
    workspaceId,
    since: new Date('2030-01-01T11:00:00Z'),
    now: new Date(0),
  });
  expect(later[0]?.sources).toEqual([]);
});
