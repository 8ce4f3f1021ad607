import { expect, test } from 'vitest';
import { describeSchema } from '../src/testing/describe-schema.ts';
import { useTestDatabase } from '../src/testing/test-database.ts';

const database = useTestDatabase();

test('the migrations produce the committed schema (update with vitest -u when a migration changes it)', async () => {
  await expect(await describeSchema(database.sql)).toMatchFileSnapshot('../schema.snapshot.sql');
});

test('graphile worker schema is migrated with ours', async () => {
  const [row] = await database.sql<{ n: number }[]>`
    select count(*)::int as n from information_schema.tables where table_schema = 'graphile_worker'`;
  expect(row?.n).toBeGreaterThan(0);
});
