import { useTestDatabase } from '@avtrz/db/testing';
import { beforeAll, describe, expect, test } from 'vitest';
import { asKey, createWorkspaceAsOperator, useAdminServer } from './support/admin-server.ts';

const database = useTestDatabase();
const admin = useAdminServer(database);

type Workspace = Awaited<ReturnType<typeof createWorkspaceAsOperator>>;
let alpha: Workspace;
let beta: Workspace;
let betaPublishableId: string;

beforeAll(async () => {
  alpha = await createWorkspaceAsOperator(admin, 'Alpha');
  beta = await createWorkspaceAsOperator(admin, 'Beta');
  const created = await admin.graphql<{ createApiKey: { apiKey: { id: string } } }>(
    'mutation { createApiKey(input: { type: PUBLISHABLE, name: "beta site", allowedDomains: ["beta.example.com"] }) { apiKey { id } } }',
    {},
    asKey(beta.key),
  );
  betaPublishableId = created.data!.createApiKey.apiKey.id;
  const hour = new Date(Date.UTC(2026, 10, 2, 10));
  await database.db
    .insertInto('usage_hourly')
    .values([
      { key_id: alpha.keyId, workspace_id: alpha.workspaceId, hour, billable: 1 },
      { key_id: betaPublishableId, workspace_id: beta.workspaceId, hour, billable: 99 },
    ])
    .execute();
});

describe("a secret key never sees or touches another workspace's data", () => {
  test('workspace and apiKeys show only its own', async () => {
    const result = await admin.graphql<{ workspace: { id: string }; apiKeys: { id: string }[] }>(
      '{ workspace { id } apiKeys(includeRevoked: true) { id } }',
      {},
      asKey(alpha.key),
    );
    expect(result.data!.workspace.id).toBe(alpha.workspaceId);
    expect(result.data!.apiKeys.map((k) => k.id)).toEqual([alpha.keyId]);
    const page = await admin.graphql<{ apiKeysConnection: { edges: { node: { id: string } }[] } }>(
      '{ apiKeysConnection(includeRevoked: true) { edges { node { id } } } }',
      {},
      asKey(alpha.key),
    );
    expect(page.data!.apiKeysConnection.edges.map((e) => e.node.id)).toEqual([alpha.keyId]);
  });

  test.each([
    [
      'updateApiKey',
      'mutation ($id: ID!) { updateApiKey(id: $id, input: { name: "pwned", allowedDomains: [] }) { id } }',
    ],
    ['revokeApiKey', 'mutation ($id: ID!) { revokeApiKey(id: $id) { id } }'],
    ['rollApiKey', 'mutation ($id: ID!) { rollApiKey(id: $id) { key } }'],
  ])('%s on the other workspace key is NOT_FOUND and changes nothing', async (_name, document) => {
    for (const id of [beta.keyId, betaPublishableId]) {
      const result = await admin.graphql(document, { id }, asKey(alpha.key));
      expect(result.code).toBe('NOT_FOUND');
      expect(result.data).toBeNull();
    }
    const row = await database.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', betaPublishableId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'beta site', allowed_domains: ['beta.example.com'], revoked_at: null });
    const betaKeys = await database.db
      .selectFrom('api_keys')
      .select('id')
      .where('workspace_id', '=', beta.workspaceId)
      .execute();
    expect(betaKeys).toHaveLength(2);
    // And the other workspace's key still works.
    expect((await admin.graphql('{ workspace { id } }', {}, asKey(beta.key))).data).toEqual({
      workspace: { id: beta.workspaceId },
    });
  });

  test('usage shows only its own keys, and asking for another key is NOT_FOUND', async () => {
    const range = { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' };
    const own = await admin.graphql<{
      usage: { keyId: string; billable: number }[];
      usageTotals: { billable: number }[];
    }>(
      'query ($from: DateTime!, $to: DateTime!) { usage(from: $from, to: $to) { keyId billable } usageTotals(from: $from, to: $to) { billable } }',
      range,
      asKey(alpha.key),
    );
    expect(own.data).toEqual({ usage: [{ keyId: alpha.keyId, billable: 1 }], usageTotals: [{ billable: 1 }] });
    const other = await admin.graphql(
      'query ($from: DateTime!, $to: DateTime!, $keyId: ID) { usage(from: $from, to: $to, keyId: $keyId) { billable } }',
      { ...range, keyId: betaPublishableId },
      asKey(alpha.key),
    );
    expect(other.code).toBe('NOT_FOUND');
    expect(other.data).toBeNull();
  });

  test('the month summary is its own', async () => {
    await database.db
      .insertInto('workspace_monthly_usage')
      .values({ workspace_id: beta.workspaceId, month: monthNow(), requests: 777, new_profiles: 7 })
      .execute();
    const result = await admin.graphql<{ workspace: { usageSummary: { avatarRequests: number } } }>(
      '{ workspace { usageSummary { avatarRequests } } }',
      {},
      asKey(alpha.key),
    );
    expect(result.data!.workspace.usageSummary.avatarRequests).toBe(0);
  });

  test('the console router takes no secret key (people sign in; see auth.every-procedure-is-guarded)', async () => {
    const list = await fetch(
      `${admin.url}/trpc/apiKeys.list?input=${encodeURIComponent(JSON.stringify({ workspaceId: beta.workspaceId }))}`,
      {
        headers: asKey(alpha.key),
      },
    );
    expect(list.status).toBe(401);
    const revoke = await fetch(`${admin.url}/trpc/apiKeys.revoke`, {
      method: 'POST',
      headers: { ...asKey(alpha.key), origin: admin.url, 'content-type': 'application/json' },
      body: JSON.stringify({ workspaceId: beta.workspaceId, id: beta.keyId }),
    });
    expect(revoke.status).toBe(401);
    const row = await database.db
      .selectFrom('api_keys')
      .select('revoked_at')
      .where('id', '=', beta.keyId)
      .executeTakeFirstOrThrow();
    expect(row.revoked_at).toBeNull();
  });
});

function monthNow(): string {
  const now = new Date();
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}-01`;
}
