import { useTestDatabase } from '@avtrz/db/testing';
import { generateApiKey } from '@avtrz/shared/api-key';
import { describe, expect, test } from 'vitest';
import {
  asKey,
  asOperator,
  createWorkspaceAsOperator,
  OPERATOR_TOKEN,
  postGraphql,
  useAdminServer,
} from './support/admin-server.ts';

const database = useTestDatabase();
const admin = useAdminServer(database);
const withoutOperator = useAdminServer(database, { OPERATOR_TOKEN: '' });

const WORKSPACE = '{ workspace { id name } }';

async function createKey(secretKey: string, type: 'PUBLISHABLE' | 'SECRET') {
  const result = await admin.graphql<{ createApiKey: { apiKey: { id: string }; key: string } }>(
    'mutation ($type: ApiKeyType!) { createApiKey(input: { type: $type }) { apiKey { id } key } }',
    { type },
    asKey(secretKey),
  );
  return result.data!.createApiKey;
}

describe('who may call the admin API', () => {
  test('a secret key acts on its own workspace', async () => {
    const acme = await createWorkspaceAsOperator(admin, 'Acme');
    const result = await admin.graphql(WORKSPACE, {}, asKey(acme.key));
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ workspace: { id: acme.workspaceId, name: 'Acme' } });
  });

  test('no credential is 401 missing_key', async () => {
    const result = await admin.graphql(WORKSPACE);
    expect(result.status).toBe(401);
    expect(result.code).toBe('missing_key');
    expect(result.errors?.[0]?.message).toMatch(/x-api-key/);
  });

  test('an Authorization header that is not Bearer is no credential', async () => {
    const result = await admin.graphql(WORKSPACE, {}, { authorization: 'Basic dXNlcjpwYXNz' });
    expect([result.status, result.code]).toEqual([401, 'missing_key']);
  });

  test.each([
    ['malformed', 'sk_live_nonsense'],
    ['mistyped (bad checksum)', `${generateApiKey('secret').key.slice(0, -1)}x`],
    ['unknown (well-formed, never issued)', generateApiKey('secret').key],
    ['not a key at all', 'hello'],
  ])('a %s key is 401 invalid_key', async (_label, key) => {
    const result = await admin.graphql(WORKSPACE, {}, asKey(key));
    expect([result.status, result.code]).toEqual([401, 'invalid_key']);
    expect(result.data).toBeUndefined();
  });

  test('a revoked key is 401 invalid_key', async () => {
    const acme = await createWorkspaceAsOperator(admin, 'Revoked Inc');
    const second = await createKey(acme.key, 'SECRET');
    await admin.graphql(
      'mutation ($id: ID!) { revokeApiKey(id: $id) { id } }',
      { id: second.apiKey.id },
      asKey(acme.key),
    );
    const result = await admin.graphql(WORKSPACE, {}, asKey(second.key));
    expect([result.status, result.code]).toEqual([401, 'invalid_key']);
  });

  test('a publishable key is 403 publishable_key_not_allowed', async () => {
    const acme = await createWorkspaceAsOperator(admin, 'Pub');
    const publishable = await createKey(acme.key, 'PUBLISHABLE');
    const result = await admin.graphql(WORKSPACE, {}, asKey(publishable.key));
    expect([result.status, result.code]).toEqual([403, 'publishable_key_not_allowed']);
  });

  test('a secret key asking for an operator operation gets FORBIDDEN', async () => {
    const acme = await createWorkspaceAsOperator(admin, 'Ambitious');
    const create = await admin.graphql(
      'mutation { createWorkspace(input: { name: "Mine" }) { key } }',
      {},
      asKey(acme.key),
    );
    expect(create.code).toBe('FORBIDDEN');
    expect(create.data).toBeNull();
    const plan = await admin.graphql(
      'mutation ($id: ID!) { updatePlan(workspaceId: $id, input: { monthlyRequestQuota: 999999 }) { id } }',
      { id: acme.workspaceId },
      asKey(acme.key),
    );
    expect(plan.code).toBe('FORBIDDEN');
    for (const document of ['{ workspaces { id } }', `mutation { deleteWorkspace(id: "${acme.workspaceId}") }`]) {
      expect((await admin.graphql(document, {}, asKey(acme.key))).code).toBe('FORBIDDEN');
    }
    expect((await admin.graphql(WORKSPACE, {}, asKey(acme.key))).data).toEqual({
      workspace: { id: acme.workspaceId, name: 'Ambitious' },
    });
  });

  test('the operator token is checked; a wrong one is 401 invalid_operator_token', async () => {
    const wrong = await admin.graphql('{ workspaces { id } }', {}, { authorization: `Bearer ${OPERATOR_TOKEN}x` });
    expect([wrong.status, wrong.code]).toEqual([401, 'invalid_operator_token']);
    const right = await admin.graphql('{ workspaces { id } }', {}, asOperator());
    expect(right.status).toBe(200);
    expect(right.errors).toBeUndefined();
  });

  test('an API key sent as a Bearer token is refused with a hint to use x-api-key', async () => {
    const acme = await createWorkspaceAsOperator(admin, 'Bearer Co');
    const result = await admin.graphql(WORKSPACE, {}, { authorization: `Bearer ${acme.key}` });
    expect([result.status, result.code]).toEqual([401, 'invalid_operator_token']);
    expect(result.errors?.[0]?.message).toMatch(/x-api-key/);
  });

  test('x-api-key wins when both credentials are sent', async () => {
    const acme = await createWorkspaceAsOperator(admin, 'Both');
    const result = await admin.graphql('{ workspaces { id } }', {}, { ...asOperator(), ...asKey(acme.key) });
    expect(result.code).toBe('FORBIDDEN');
  });

  test('without OPERATOR_TOKEN configured, operator calls are unavailable and say why', async () => {
    const result = await postGraphql(withoutOperator.url, '{ workspaces { id } }', {}, asOperator());
    expect([result.status, result.code]).toEqual([403, 'operator_unavailable']);
    expect(result.errors?.[0]?.message).toMatch(/OPERATOR_TOKEN/);
    // Keys keep working there.
    const acme = await createWorkspaceAsOperator(admin, 'Keys Only');
    expect((await postGraphql(withoutOperator.url, WORKSPACE, {}, asKey(acme.key))).status).toBe(200);
  });

  test('the operator names the workspace of workspace operations in x-avtrz-workspace', async () => {
    const acme = await createWorkspaceAsOperator(admin, 'Operated');
    const without = await admin.graphql(WORKSPACE, {}, asOperator());
    expect(without.code).toBe('WORKSPACE_REQUIRED');
    expect(without.errors?.[0]?.message).toMatch(/x-avtrz-workspace/);
    const unknown = await admin.graphql(WORKSPACE, {}, asOperator('00000000-0000-4000-8000-000000000000'));
    expect(unknown.code).toBe('NOT_FOUND');
    const garbage = await admin.graphql(WORKSPACE, {}, asOperator('not-a-uuid'));
    expect(garbage.code).toBe('NOT_FOUND');
    const named = await admin.graphql('{ workspace { id } apiKeys { id } }', {}, asOperator(acme.workspaceId));
    expect(named.data).toEqual({ workspace: { id: acme.workspaceId }, apiKeys: [{ id: acme.keyId }] });
  });

  test('using a secret key on the admin API records when it was last used', async () => {
    const acme = await createWorkspaceAsOperator(admin, 'Used');
    const before = await database.db
      .selectFrom('api_keys')
      .select('last_used_at')
      .where('id', '=', acme.keyId)
      .executeTakeFirstOrThrow();
    expect(before.last_used_at).toBeNull();
    const result = await admin.graphql<{ apiKeys: { lastUsedAt: string | null }[] }>(
      '{ apiKeys { lastUsedAt } }',
      {},
      asKey(acme.key),
    );
    expect(result.data?.apiKeys[0]?.lastUsedAt).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
  });

  test('mutations are never run over GET', async () => {
    const acme = await createWorkspaceAsOperator(admin, 'Getter');
    const query = encodeURIComponent('mutation { createApiKey(input: { type: SECRET }) { key } }');
    const response = await fetch(`${admin.url}/graphql?query=${query}`, {
      headers: { ...asKey(acme.key), accept: 'application/json' },
    });
    expect(response.status).toBe(405);
    const keys = await admin.graphql<{ apiKeys: unknown[] }>('{ apiKeys { id } }', {}, asKey(acme.key));
    expect(keys.data?.apiKeys).toHaveLength(1);
    // Queries may use GET.
    const get = await fetch(`${admin.url}/graphql?query=${encodeURIComponent('{ workspace { name } }')}`, {
      headers: { ...asKey(acme.key), accept: 'application/json' },
    });
    expect(await get.json()).toEqual({ data: { workspace: { name: 'Getter' } } });
  });
});
