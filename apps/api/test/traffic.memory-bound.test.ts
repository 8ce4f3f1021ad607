import { expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { trafficHostsPerKeyHour } from '@avtrz/db/queries/traffic.queries';
import { createLogger } from '@avtrz/shared/logger';
import { createUsageCounter } from '../src/metering/usage-counter.ts';
import { loadKeyForRequest } from './support/metering.ts';
import { seedKey, seedWorkspace } from './support/seed.ts';

// Hosts wait in memory with the usage counts: at most a fixed number by name per key-hour, and at
// most a set number over all rows; past either, requests count under the key-hour's "other" bucket,
// so every request is still counted.
const database = useTestDatabase();
const logger = createLogger({ name: 'test', level: 'silent', pretty: false });

async function writtenSources(keyId: string) {
  return database.db
    .selectFrom('traffic_hosts')
    .select(['source', 'host', 'requests', 'blocked'])
    .where('key_id', '=', keyId)
    .orderBy('source')
    .orderBy('host')
    .execute();
}

test('past the hosts held by name, requests count under "other"; none and unreadable have their own', async () => {
  const counter = createUsageCounter(database.db, logger, { maxPendingHosts: 3 });
  const workspaceId = await seedWorkspace(database.db);
  const [a, b] = await Promise.all(
    [0, 1].map(async () => loadKeyForRequest(database.db, (await seedKey(database.db, workspaceId, 'publishable')).id)),
  );
  const at = Date.UTC(2030, 0, 1, 10, 5);
  counter.countSource(a!, 'one.example', false, at);
  counter.countSource(a!, 'two.example', true, at);
  counter.countSource(b!, 'three.example', false, at);
  // Three hosts are held: a fourth, even of another key, waits in "other"; held hosts keep counting.
  counter.countSource(b!, 'four.example', true, at);
  counter.countSource(a!, 'one.example', false, at);
  counter.countSource(a!, undefined, true, at);
  counter.countSource(a!, null, true, at);
  counter.countSource(a!, `${'x'.repeat(250)}.example`, true, at);
  await counter.flush();

  expect(await writtenSources(a!.id)).toEqual([
    { source: 'host', host: 'one.example', requests: 2, blocked: 0 },
    { source: 'host', host: 'two.example', requests: 1, blocked: 1 },
    { source: 'none', host: '', requests: 1, blocked: 1 },
    // Longer than any DNS name: no host.
    { source: 'unreadable', host: '', requests: 2, blocked: 2 },
  ]);
  expect(await writtenSources(b!.id)).toEqual([
    { source: 'host', host: 'three.example', requests: 1, blocked: 0 },
    { source: 'other', host: '', requests: 1, blocked: 1 },
  ]);

  // Written rows free their places.
  counter.countSource(b!, 'four.example', false, at);
  await counter.flush();
  expect(await writtenSources(b!.id)).toContainEqual({ source: 'host', host: 'four.example', requests: 1, blocked: 0 });
});

test('one key-hour holds a fixed number of hosts by name', async () => {
  const counter = createUsageCounter(database.db, logger);
  const key = await loadKeyForRequest(
    database.db,
    (await seedKey(database.db, await seedWorkspace(database.db), 'publishable')).id,
  );
  const at = Date.UTC(2030, 0, 1, 10, 5);
  for (let i = 0; i < trafficHostsPerKeyHour + 7; i++) counter.countSource(key, `h${i}.example`, false, at);
  // The next hour is a row of its own.
  counter.countSource(key, 'late.example', false, at + 3_600_000);
  await counter.flush();
  const rows = await writtenSources(key.id);
  expect(rows.filter((r) => r.source === 'host')).toHaveLength(trafficHostsPerKeyHour + 1);
  expect(rows.find((r) => r.source === 'other')).toMatchObject({ requests: 7 });
});
