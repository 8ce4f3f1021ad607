import { Writable } from 'node:stream';
import { useTestDatabase } from '@avtrz/db/testing';
import type { RunningServer } from '@avtrz/shared/http/serve';
import pino from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startAdminServer } from '../src/server.ts';
import { asKey, asOperator, postGraphql, testConfig } from './support/admin-server.ts';

const database = useTestDatabase();
const logLines: Record<string, unknown>[] = [];
let server: RunningServer;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean))
        logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level: 'error' }, sink);
  server = await startAdminServer({ config: testConfig(), database, logger }, 0);
});

afterAll(async () => {
  await server.close();
});

test('an unexpected failure is answered without detail and logged with it', async () => {
  const created = await postGraphql<{ createWorkspace: { key: string } }>(
    server.url,
    'mutation { createWorkspace(input: { name: "Broken" }) { key } }',
    {},
    asOperator(),
  );
  const key = created.data!.createWorkspace.key;
  // Something the code does not expect: a table has gone missing under it.
  await database.sql`drop table usage_hourly, usage_daily cascade`;
  const result = await postGraphql(
    server.url,
    '{ usage(from: "2026-01-01", to: "2026-01-02") { billable } }',
    {},
    asKey(key),
  );
  expect(result.errors).toHaveLength(1);
  expect(result.errors?.[0]?.message).toBe('Unexpected error.');
  expect(result.code).toBe('INTERNAL_SERVER_ERROR');
  expect(JSON.stringify(result)).not.toMatch(/usage_|relation|postgres|at /i);
  expect(logLines.some((line) => /usage_(hourly|daily)/.test(JSON.stringify(line)))).toBe(true);
  // The rest of the API keeps answering.
  expect((await postGraphql(server.url, '{ workspace { name } }', {}, asKey(key))).data).toEqual({
    workspace: { name: 'Broken' },
  });
});

test('the console router masks unexpected failures the same way', async () => {
  const created = await postGraphql<{ createWorkspace: { key: string } }>(
    server.url,
    'mutation { createWorkspace(input: { name: "Broken too" }) { key } }',
    {},
    asOperator(),
  );
  const input = encodeURIComponent(JSON.stringify({ from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' }));
  const response = await fetch(`${server.url}/trpc/usage.series?input=${input}`, {
    headers: asKey(created.data!.createWorkspace.key),
  });
  expect(response.status).toBe(500);
  const text = await response.text();
  expect(text).not.toMatch(/usage_|relation|postgres/i);
  expect(text).toMatch(/Unexpected error/);
});

test('expected refusals are answered with their code and not logged as errors', async () => {
  const created = await postGraphql<{ createWorkspace: { key: string } }>(
    server.url,
    'mutation { createWorkspace(input: { name: "Refusals" }) { key } }',
    {},
    asOperator(),
  );
  const key = created.data!.createWorkspace.key;
  const before = logLines.length;
  const badInput = await postGraphql(
    server.url,
    'mutation { createApiKey(input: { type: PUBLISHABLE, allowedDomains: ["not a host name"] }) { key } }',
    {},
    asKey(key),
  );
  expect(badInput.code).toBe('BAD_USER_INPUT');
  const page = (alias: string) => `${alias}: apiKeysConnection(first: 100) { edges { node { id name prefix } } }`;
  const tooCostly = await postGraphql(
    server.url,
    `{ ${page('a')} ${page('b')} ${page('c')} ${page('d')} ${page('e')} }`,
    {},
    asKey(key),
  );
  expect(tooCostly.code).toBe('GRAPHQL_VALIDATION_FAILED');
  const cyclic = await postGraphql(server.url, 'fragment A on Query { ...A } { ...A }', {}, asKey(key));
  expect(cyclic.code).toBe('GRAPHQL_VALIDATION_FAILED');
  const forbidden = await postGraphql(
    server.url,
    'mutation { createWorkspace(input: { name: "No" }) { key } }',
    {},
    asKey(key),
  );
  expect(forbidden.code).toBe('FORBIDDEN');
  expect(logLines.slice(before)).toEqual([]);
});
