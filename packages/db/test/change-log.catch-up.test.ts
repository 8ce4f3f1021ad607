import { afterAll, beforeAll, expect, test } from 'vitest';
import postgres from 'postgres';
import { channels, notify } from '../src/notify.ts';
import { changesSince, pingWithChangeMark, pruneChangeLog } from '../src/queries/change-log.queries.ts';
import { useTestDatabase } from '../src/testing/test-database.ts';

// A listener that lost its connection re-reads the change log from its last mark. Ids follow insert
// order, not commit order, so a change of a transaction still open at the mark, with an id below it,
// must be re-read too.
const database = useTestDatabase();
let other: postgres.Sql;

beforeAll(() => {
  other = postgres(database.url, { max: 2, onnotice: () => {} });
});
afterAll(async () => {
  await other?.end({ timeout: 1 });
});

test('changes after the mark are re-read, those before it are not, and every change still notifies', async () => {
  const received: string[] = [];
  const subscription = await database.sql.listen(channels.apiKeys, (payload) => received.push(payload));
  await notify(database.db, channels.apiKeys, 'before');
  const mark = await pingWithChangeMark(database.sql, 'avtrz_ping_test', '1');
  await notify(database.db, channels.apiKeys, 'after');
  const missed = await changesSince(database.sql, mark, 100);
  expect(missed?.map((c) => [c.channel, c.payload])).toEqual([[channels.apiKeys, 'after']]);
  await expect.poll(() => received).toEqual(['before', 'after']);
  await subscription.unlisten();
});

test('a change whose transaction was open at the mark is re-read, though its id is lower', async () => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let inserted!: () => void;
  const insertedYet = new Promise<void>((resolve) => (inserted = resolve));
  const slow = other.begin(async (trx) => {
    await trx`insert into change_log (channel, payload) values (${channels.profiles}, 'slow-writer')`;
    inserted();
    await held;
  });
  await insertedYet;
  await notify(database.db, channels.profiles, 'quick-writer');
  const mark = await pingWithChangeMark(database.sql, 'avtrz_ping_test', '2');
  release();
  await slow;
  const missed = await changesSince(database.sql, mark, 100);
  // Rows of transactions younger than the open one may come again: applying a change twice is harmless.
  expect(missed?.map((c) => c.payload)).toContain('slow-writer');
});

test('past the limit the answer is null (expire everything instead); pruning drops old rows', async () => {
  const mark = await pingWithChangeMark(database.sql, 'avtrz_ping_test', '3');
  for (const payload of ['a', 'b', 'c']) await notify(database.db, channels.workspaces, payload);
  expect(await changesSince(database.sql, mark, 2)).toBeNull();
  expect((await changesSince(database.sql, mark, 3))?.length).toBe(3);
  await pruneChangeLog(database.sql, new Date(Date.now() + 60_000));
  const [row] = await database.sql<{ n: number }[]>`select count(*)::int as n from change_log`;
  expect(row?.n).toBe(0);
});
