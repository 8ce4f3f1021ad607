import postgres from 'postgres';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { useTestDatabase } from '../src/testing/test-database.ts';
import { type CuttableProxy, startCuttableProxy } from '@avtrz/shared/testing/cuttable-proxy';

// postgres.js 3.4.9 threw from a timer (`Cannot read properties of null (reading 'write')`) when a
// query was written to a connection that had just closed: no caller could catch it, and an API
// process died of it under load with its unwritten usage counts. Patched (pnpm-workspace.yaml): the
// query is rejected like any other on a lost connection.
const database = useTestDatabase();
let proxy: CuttableProxy;
let sql: postgres.Sql;

beforeAll(async () => {
  proxy = await startCuttableProxy(database.url);
  sql = postgres(proxy.url, { max: 1, onnotice: () => {} });
});
afterAll(async () => {
  await sql?.end({ timeout: 1 });
  await proxy?.close();
});

test('a query written to a connection that just closed is rejected, not thrown from a timer', async () => {
  const reserved = await sql.reserve();
  expect(await reserved`select 1 as one`).toEqual([{ one: 1 }]);
  proxy.cut();
  await new Promise((r) => setTimeout(r, 100));
  const failure = await reserved`select 2`.then(
    () => undefined,
    (error: unknown) => error as { code?: string },
  );
  expect(failure?.code).toBe('CONNECTION_CLOSED');
});
