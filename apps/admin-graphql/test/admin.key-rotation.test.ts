import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer } from '@avtrz/api/server';
import { useTestDatabase } from '@avtrz/db/testing';
import type { RunningServer } from '@avtrz/shared/http/serve';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startAdminServer } from '../src/server.ts';
import {
  asKey,
  asOperator,
  type GraphqlResult,
  postGraphql,
  silentLogger,
  testConfig,
} from './support/admin-server.ts';

// The whole rotation story across both apps, as an integration would live it (CONTRACT §2, §3, §4).
const database = useTestDatabase();
let dataDir: string;
let api: RunningServer;
let admin: RunningServer;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'avtrz-rotation-'));
  // No worker runs: every avatar is the billable 200 fallback, answered at once.
  const config = testConfig({ DATA_DIR: dataDir, RESOLVE_WAIT_MS: '0', USAGE_FLUSH_MS: '100' });
  api = await startApiServer({ config, database, logger: silentLogger() }, 0);
  admin = await startAdminServer({ config, database, logger: silentLogger() }, 0);
});

afterAll(async () => {
  await admin?.close();
  await api?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const graphql = <T>(
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
): Promise<GraphqlResult<T>> => postGraphql<T>(admin.url, query, variables, headers);

async function avatar(key: string, username: string): Promise<{ status: number; code: string | null }> {
  const response = await fetch(`${api.url}/v1/avatar?username=${username}`, {
    headers: { 'x-api-key': key, accept: 'application/json' },
  });
  const code = response.status >= 400 ? ((await response.json()) as { error: { code: string } }).error.code : null;
  if (response.status < 400) await response.arrayBuffer();
  return { status: response.status, code };
}

test('rotate a key: both work, the old one is revoked and fails on the API within 2 s, usage shows the switch-over', async () => {
  const created = await graphql<{
    createWorkspace: { workspace: { id: string }; apiKey: { id: string }; key: string };
  }>(
    'mutation { createWorkspace(input: { name: "Rotating" }) { workspace { id } apiKey { id } key } }',
    {},
    asOperator(),
  );
  const oldKey = created.data!.createWorkspace;
  const served = new Map<string, number>([[oldKey.apiKey.id, 0]]);
  const count = (keyId: string, status: number) => {
    if (status === 200) served.set(keyId, (served.get(keyId) ?? 0) + 1);
  };

  // The old key is in use.
  for (const username of ['ada-lovelace', 'alan-turing']) {
    const answer = await avatar(oldKey.key, username);
    expect(answer.status).toBe(200);
    count(oldKey.apiKey.id, answer.status);
  }

  // 1. A new key; both keys work.
  const rotated = await graphql<{ createApiKey: { apiKey: { id: string }; key: string } }>(
    'mutation { createApiKey(input: { type: SECRET, name: "rotated" }) { apiKey { id } key } }',
    {},
    asKey(oldKey.key),
  );
  const newKey = rotated.data!.createApiKey;
  for (const key of [oldKey, newKey]) {
    const answer = await avatar(key.key, 'grace-hopper');
    expect(answer.status).toBe(200);
    count(key.apiKey.id, answer.status);
  }

  // 2. The old key is revoked (with the new one); on the API it fails within 2 seconds.
  const revoked = await graphql<{ revokeApiKey: { revokedAt: string } }>(
    'mutation ($id: ID!) { revokeApiKey(id: $id) { revokedAt } }',
    { id: oldKey.apiKey.id },
    asKey(newKey.key),
  );
  expect(revoked.data!.revokeApiKey.revokedAt).not.toBeNull();
  const revokedAt = Date.now();
  let refused: { status: number; code: string | null } | undefined;
  while (Date.now() - revokedAt < 2000) {
    const answer = await avatar(oldKey.key, 'grace-hopper');
    count(oldKey.apiKey.id, answer.status);
    if (answer.status === 401) {
      refused = answer;
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(refused, 'the revoked key was still accepted 2 s after revokeApiKey returned').toEqual({
    status: 401,
    code: 'invalid_key',
  });
  expect(Date.now() - revokedAt).toBeLessThan(2000);
  // It stays refused, on the admin API too; the new key keeps working.
  expect(await avatar(oldKey.key, 'ada-lovelace')).toEqual({ status: 401, code: 'invalid_key' });
  expect((await graphql('{ workspace { id } }', {}, asKey(oldKey.key))).code).toBe('invalid_key');
  for (const username of ['ada-lovelace', 'grace-hopper', 'katherine-johnson']) {
    const answer = await avatar(newKey.key, username);
    expect(answer.status).toBe(200);
    count(newKey.apiKey.id, answer.status);
  }

  // 3. Usage per key shows the switch-over: the old key's billable answers end at the revocation,
  //    the new key's carry on, and every answer is counted on the key that got it.
  const hour = 3600_000;
  const range = { from: new Date(revokedAt - 2 * hour).toISOString(), to: new Date(revokedAt + hour).toISOString() };
  const expected = {
    [oldKey.apiKey.id]: served.get(oldKey.apiKey.id),
    [newKey.apiKey.id]: served.get(newKey.apiKey.id),
  };
  expect(expected[newKey.apiKey.id]).toBe(4);
  let billable: Record<string, number> = {};
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const usage = await graphql<{ usage: { keyId: string; billable: number }[] }>(
      'query ($from: DateTime!, $to: DateTime!) { usage(from: $from, to: $to, granularity: HOUR) { keyId billable } }',
      range,
      asKey(newKey.key),
    );
    billable = {};
    for (const point of usage.data!.usage) billable[point.keyId] = (billable[point.keyId] ?? 0) + point.billable;
    if (
      billable[oldKey.apiKey.id] === expected[oldKey.apiKey.id] &&
      billable[newKey.apiKey.id] === expected[newKey.apiKey.id]
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(billable).toEqual(expected);
  // Asked for one key at a time, the story is the same.
  const oldOnly = await graphql<{ usage: { billable: number }[] }>(
    'query ($from: DateTime!, $to: DateTime!, $keyId: ID) { usage(from: $from, to: $to, keyId: $keyId) { billable } }',
    { ...range, keyId: oldKey.apiKey.id },
    asKey(newKey.key),
  );
  expect(oldOnly.data!.usage.reduce((sum, p) => sum + p.billable, 0)).toBe(expected[oldKey.apiKey.id]);
  const keys = await graphql<{ apiKeys: { id: string; revokedAt: string | null; lastUsedAt: string | null }[] }>(
    '{ apiKeys(includeRevoked: true) { id revokedAt lastUsedAt } }',
    {},
    asKey(newKey.key),
  );
  expect(keys.data!.apiKeys.map((k) => [k.id, k.revokedAt !== null])).toEqual([
    [oldKey.apiKey.id, true],
    [newKey.apiKey.id, false],
  ]);
});
