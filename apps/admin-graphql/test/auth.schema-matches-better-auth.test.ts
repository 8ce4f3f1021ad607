import { getMigrations } from 'better-auth/db/migration';
import { useTestDatabase } from '@avtrz/db/testing';
import { expect, test } from 'vitest';
import { authOptions } from '../src/auth/better-auth-options.ts';
import { testConfig } from './support/admin-server.ts';

const database = useTestDatabase();

// Better Auth's migration planner diffs its model with the live database: on our migrated schema it
// must find nothing to do. When it does, the SQL it would run is in the failure message (that is how
// the auth tables of 0004_accounts.sql were written).
test('the migrations hold every table, column and index Better Auth uses', async () => {
  const plan = await getMigrations(
    authOptions({ db: database.db, config: testConfig(), consoleUrl: 'http://127.0.0.1:3001' }),
  );
  const pending = [...plan.toBeCreated, ...plan.toBeAdded].map(
    (t) => `${t.table}: ${Object.keys(t.fields).join(', ')}`,
  );
  const sql = pending.length + plan.toBeAddedIndexes.length > 0 ? await plan.compileMigrations() : '';
  expect({ pending, indexes: plan.toBeAddedIndexes.map((i) => i.name), problems: plan.schemaProblems, sql }).toEqual({
    pending: [],
    indexes: [],
    problems: [],
    sql: '',
  });
});
