import { channels } from '@avtrz/db/notify';
import { useTestDatabase } from '@avtrz/db/testing';
import { describe, expect, test } from 'vitest';
import { asKey, asOperator, createWorkspaceAsOperator, useAdminServer } from './support/admin-server.ts';
import { useNotifications } from './support/notifications.ts';

const database = useTestDatabase();
const admin = useAdminServer(database);
const workspaceChanges = useNotifications(database, channels.workspaces);
const keyChanges = useNotifications(database, channels.apiKeys);

const PLAN = 'plan { monthlyRequestQuota monthlyNewProfileQuota rateLimitPerMinute }';

describe('createWorkspace (operator)', () => {
  test('creates the workspace with the default plan and returns its first secret key once', async () => {
    const result = await admin.graphql<{
      createWorkspace: {
        workspace: { id: string; name: string; createdAt: string; plan: object };
        apiKey: { id: string; type: string; name: string };
        key: string;
      };
    }>(
      `mutation { createWorkspace(input: { name: "  Acme  " }) { workspace { id name createdAt ${PLAN} } apiKey { id type name } key } }`,
      {},
      asOperator(),
    );
    const created = result.data!.createWorkspace;
    expect(created.workspace.name).toBe('Acme');
    expect(created.workspace.plan).toEqual({
      monthlyRequestQuota: 10000,
      monthlyNewProfileQuota: 1000,
      rateLimitPerMinute: 600,
    });
    expect(Date.parse(created.workspace.createdAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(created.apiKey).toMatchObject({ type: 'SECRET', name: 'First secret key' });
    expect(created.key).toMatch(/^sk_live_/);
    const own = await admin.graphql('{ workspace { id } }', {}, asKey(created.key));
    expect(own.data).toEqual({ workspace: { id: created.workspace.id } });
    await keyChanges.waitFor(created.apiKey.id);
  });

  test('takes a plan', async () => {
    const result = await admin.graphql<{ createWorkspace: { workspace: { plan: object } } }>(
      `mutation { createWorkspace(input: { name: "Big", plan: { monthlyRequestQuota: 5, rateLimitPerMinute: 1 } }) { workspace { ${PLAN} } } }`,
      {},
      asOperator(),
    );
    expect(result.data!.createWorkspace.workspace.plan).toEqual({
      monthlyRequestQuota: 5,
      monthlyNewProfileQuota: 1000,
      rateLimitPerMinute: 1,
    });
  });

  test.each([
    ['{ name: "" }', /^name: /],
    ['{ name: "x", plan: { monthlyRequestQuota: -1 } }', /^plan\.monthlyRequestQuota: /],
    ['{ name: "x", plan: { rateLimitPerMinute: 0 } }', /^plan\.rateLimitPerMinute: /],
  ])('refuses %s with BAD_USER_INPUT naming the field', async (input, message) => {
    const before = await database.db
      .selectFrom('workspaces')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const result = await admin.graphql(`mutation { createWorkspace(input: ${input}) { key } }`, {}, asOperator());
    expect(result.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(message);
    const after = await database.db
      .selectFrom('workspaces')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});

describe('updatePlan (operator)', () => {
  test('changes only the given fields and notifies the API processes', async () => {
    const acme = await createWorkspaceAsOperator(admin, 'Planned');
    workspaceChanges.clear();
    const result = await admin.graphql<{ updatePlan: { id: string; plan: object } }>(
      `mutation ($id: ID!) { updatePlan(workspaceId: $id, input: { monthlyNewProfileQuota: 42, rateLimitPerMinute: 60 }) { id ${PLAN} } }`,
      { id: acme.workspaceId },
      asOperator(),
    );
    expect(result.data!.updatePlan).toEqual({
      id: acme.workspaceId,
      plan: { monthlyRequestQuota: 10000, monthlyNewProfileQuota: 42, rateLimitPerMinute: 60 },
    });
    await workspaceChanges.waitFor(acme.workspaceId);
    const seen = await admin.graphql<{ workspace: { plan: object } }>(`{ workspace { ${PLAN} } }`, {}, asKey(acme.key));
    expect(seen.data!.workspace.plan).toEqual({
      monthlyRequestQuota: 10000,
      monthlyNewProfileQuota: 42,
      rateLimitPerMinute: 60,
    });
  });

  test('refuses bad values and unknown workspaces', async () => {
    const acme = await createWorkspaceAsOperator(admin, 'Strict');
    const bad = await admin.graphql(
      'mutation ($id: ID!) { updatePlan(workspaceId: $id, input: { monthlyRequestQuota: -5 }) { id } }',
      { id: acme.workspaceId },
      asOperator(),
    );
    expect(bad.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toMatch(/^input\.monthlyRequestQuota: /);
    for (const id of ['00000000-0000-4000-8000-000000000000', 'x']) {
      const missing = await admin.graphql(
        'mutation ($id: ID!) { updatePlan(workspaceId: $id, input: {}) { id } }',
        { id },
        asOperator(),
      );
      expect(missing.code).toBe('NOT_FOUND');
    }
  });
});

describe('workspaces and deleteWorkspace (operator)', () => {
  test('lists every workspace', async () => {
    const acme = await createWorkspaceAsOperator(admin, 'Listed');
    const result = await admin.graphql<{ workspaces: { id: string; name: string }[] }>(
      '{ workspaces { id name } }',
      {},
      asOperator(),
    );
    expect(result.data!.workspaces).toContainEqual({ id: acme.workspaceId, name: 'Listed' });
  });

  test('deleting a workspace removes it, stops its keys and notifies', async () => {
    const acme = await createWorkspaceAsOperator(admin, 'Doomed');
    workspaceChanges.clear();
    keyChanges.clear();
    const result = await admin.graphql(
      'mutation ($id: ID!) { deleteWorkspace(id: $id) }',
      { id: acme.workspaceId },
      asOperator(),
    );
    expect(result.data).toEqual({ deleteWorkspace: acme.workspaceId });
    await workspaceChanges.waitFor(acme.workspaceId);
    await keyChanges.waitFor(acme.keyId);
    const key = await admin.graphql('{ workspace { id } }', {}, asKey(acme.key));
    expect([key.status, key.code]).toEqual([401, 'invalid_key']);
    const again = await admin.graphql(
      'mutation ($id: ID!) { deleteWorkspace(id: $id) }',
      { id: acme.workspaceId },
      asOperator(),
    );
    expect(again.code).toBe('NOT_FOUND');
  });
});
