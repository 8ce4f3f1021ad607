import { useTestDatabase } from '@avtrz/db/testing';
import { beforeAll, describe, expect, test } from 'vitest';
import { asKey, asOperator, createWorkspaceAsOperator, useAdminServer } from './support/admin-server.ts';

const database = useTestDatabase();
const admin = useAdminServer(database);

let secret: string;
let workspaceId: string;
let keyA: string;
let keyB: string;

const h = (day: number, hour: number) => new Date(Date.UTC(2026, 9, day, hour));
const POINT = 'start keyId billable notModified fallbacks newProfiles rejected';
const USAGE = `query ($from: DateTime!, $to: DateTime!, $granularity: UsageGranularity, $keyId: ID) {
  usage(from: $from, to: $to, granularity: $granularity, keyId: $keyId) { ${POINT} }
}`;

beforeAll(async () => {
  const acme = await createWorkspaceAsOperator(admin, 'Metered', {
    monthlyRequestQuota: 1000,
    monthlyNewProfileQuota: 50,
  });
  secret = acme.key;
  workspaceId = acme.workspaceId;
  keyA = acme.keyId;
  const created = await admin.graphql<{ createApiKey: { apiKey: { id: string } } }>(
    'mutation { createApiKey(input: { type: PUBLISHABLE }) { apiKey { id } } }',
    {},
    asKey(secret),
  );
  keyB = created.data!.createApiKey.apiKey.id;
  // What the API's usage batches write: one row per key per hour.
  await database.db
    .insertInto('usage_hourly')
    .values([
      {
        key_id: keyA,
        workspace_id: workspaceId,
        hour: h(1, 22),
        billable: 5,
        not_modified: 1,
        fallbacks: 2,
        new_profiles: 3,
        rejected: 0,
      },
      {
        key_id: keyA,
        workspace_id: workspaceId,
        hour: h(1, 23),
        billable: 7,
        not_modified: 0,
        fallbacks: 1,
        new_profiles: 1,
        rejected: 4,
      },
      {
        key_id: keyB,
        workspace_id: workspaceId,
        hour: h(1, 23),
        billable: 1,
        not_modified: 2,
        fallbacks: 0,
        new_profiles: 0,
        rejected: 0,
      },
      {
        key_id: keyA,
        workspace_id: workspaceId,
        hour: h(2, 0),
        billable: 10,
        not_modified: 0,
        fallbacks: 0,
        new_profiles: 2,
        rejected: 1,
      },
      { key_id: keyA, workspace_id: workspaceId, hour: h(5, 12), billable: 100 },
    ])
    .execute();
});

describe('usage series', () => {
  test('HOUR gives one point per key per hour with traffic, oldest first', async () => {
    const result = await admin.graphql<{ usage: unknown[] }>(
      USAGE,
      { from: '2026-10-01T00:00:00Z', to: '2026-10-03T00:00:00Z', granularity: 'HOUR' },
      asKey(secret),
    );
    expect(result.data!.usage).toEqual([
      {
        start: '2026-10-01T22:00:00.000Z',
        keyId: keyA,
        billable: 5,
        notModified: 1,
        fallbacks: 2,
        newProfiles: 3,
        rejected: 0,
      },
      ...[
        { keyId: keyA, billable: 7, notModified: 0, fallbacks: 1, newProfiles: 1, rejected: 4 },
        { keyId: keyB, billable: 1, notModified: 2, fallbacks: 0, newProfiles: 0, rejected: 0 },
      ]
        .sort((x, y) => x.keyId.localeCompare(y.keyId))
        .map((p) => ({ start: '2026-10-01T23:00:00.000Z', ...p })),
      {
        start: '2026-10-02T00:00:00.000Z',
        keyId: keyA,
        billable: 10,
        notModified: 0,
        fallbacks: 0,
        newProfiles: 2,
        rejected: 1,
      },
    ]);
  });

  test('DAY (the default) adds hours up per calendar day in UTC', async () => {
    const result = await admin.graphql<{ usage: unknown[] }>(
      USAGE,
      { from: '2026-10-01', to: '2026-10-08' },
      asKey(secret),
    );
    expect(result.data!.usage).toEqual(
      expect.arrayContaining([
        {
          start: '2026-10-01T00:00:00.000Z',
          keyId: keyA,
          billable: 12,
          notModified: 1,
          fallbacks: 3,
          newProfiles: 4,
          rejected: 4,
        },
        {
          start: '2026-10-01T00:00:00.000Z',
          keyId: keyB,
          billable: 1,
          notModified: 2,
          fallbacks: 0,
          newProfiles: 0,
          rejected: 0,
        },
        {
          start: '2026-10-02T00:00:00.000Z',
          keyId: keyA,
          billable: 10,
          notModified: 0,
          fallbacks: 0,
          newProfiles: 2,
          rejected: 1,
        },
        {
          start: '2026-10-05T00:00:00.000Z',
          keyId: keyA,
          billable: 100,
          notModified: 0,
          fallbacks: 0,
          newProfiles: 0,
          rejected: 0,
        },
      ]),
    );
    expect(result.data!.usage).toHaveLength(4);
  });

  test('keyId narrows to one key, revoked or not; from is inclusive and to exclusive', async () => {
    await admin.graphql('mutation ($id: ID!) { revokeApiKey(id: $id) { id } }', { id: keyB }, asKey(secret));
    const onlyB = await admin.graphql<{ usage: { keyId: string; billable: number }[] }>(
      USAGE,
      { from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z', keyId: keyB },
      asKey(secret),
    );
    expect(onlyB.data!.usage.map((p) => [p.keyId, p.billable])).toEqual([[keyB, 1]]);
    const edge = await admin.graphql<{ usage: { start: string }[] }>(
      USAGE,
      { from: '2026-10-01T23:00:00Z', to: '2026-10-02T00:00:00Z', granularity: 'HOUR', keyId: keyA },
      asKey(secret),
    );
    expect(edge.data!.usage.map((p) => p.start)).toEqual(['2026-10-01T23:00:00.000Z']);
  });

  test('usageTotals adds every key of the workspace up', async () => {
    const result = await admin.graphql<{ usageTotals: unknown[] }>(
      'query { usageTotals(from: "2026-10-01T00:00:00Z", to: "2026-10-02T00:00:00Z", granularity: DAY) { start billable notModified fallbacks newProfiles rejected } }',
      {},
      asKey(secret),
    );
    expect(result.data!.usageTotals).toEqual([
      { start: '2026-10-01T00:00:00.000Z', billable: 13, notModified: 3, fallbacks: 3, newProfiles: 4, rejected: 4 },
    ]);
  });

  test.each([
    ['to before from', { from: '2026-10-02T00:00:00Z', to: '2026-10-01T00:00:00Z' }, /^to: /],
    ['an empty range', { from: '2026-10-02T00:00:00Z', to: '2026-10-02T00:00:00Z' }, /^to: /],
    [
      'over 31 days of hours',
      { from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z', granularity: 'HOUR' },
      /^to: .*31 days/,
    ],
    ['over 400 days of days', { from: '2024-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, /^to: .*400 days/],
  ])('%s is BAD_USER_INPUT naming the field', async (_label, variables, message) => {
    const result = await admin.graphql(USAGE, variables, asKey(secret));
    expect(result.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(message);
  });

  test('a DateTime that is not ISO-8601 is refused, naming the variable', async () => {
    const result = await admin.graphql(USAGE, { from: 'yesterday', to: '2026-10-02T00:00:00Z' }, asKey(secret));
    expect(result.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/\$from.*ISO-8601/);
    const literal = await admin.graphql(
      '{ usage(from: "2026-13-45", to: "2026-10-02") { billable } }',
      {},
      asKey(secret),
    );
    expect(literal.errors?.[0]?.message).toMatch(/ISO-8601/);
  });
});

describe('the month against the plan', () => {
  test('usageSummary shows avatar_requests and avatar_new_profiles against the quotas', async () => {
    const now = new Date();
    const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    await database.db
      .insertInto('workspace_monthly_usage')
      .values({ workspace_id: workspaceId, month: `${month}-01`, requests: 250, new_profiles: 60 })
      .execute();
    const result = await admin.graphql<{ workspace: { usageSummary: Record<string, unknown> } }>(
      '{ workspace { usageSummary { month periodStart periodEnd avatarRequests avatarNewProfiles avatarRequestsRemaining avatarNewProfilesRemaining plan { monthlyRequestQuota monthlyNewProfileQuota } } } }',
      {},
      asKey(secret),
    );
    expect(result.data!.workspace.usageSummary).toEqual({
      month,
      periodStart: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString(),
      periodEnd: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(),
      avatarRequests: 250,
      avatarNewProfiles: 60,
      avatarRequestsRemaining: 750,
      avatarNewProfilesRemaining: 0,
      plan: { monthlyRequestQuota: 1000, monthlyNewProfileQuota: 50 },
    });
  });

  test('an earlier month can be asked for; a malformed one is BAD_USER_INPUT', async () => {
    const past = await admin.graphql<{ workspace: { usageSummary: { month: string; avatarRequests: number } } }>(
      '{ workspace { usageSummary(month: "2020-02") { month avatarRequests } } }',
      {},
      asKey(secret),
    );
    expect(past.data!.workspace.usageSummary).toEqual({ month: '2020-02', avatarRequests: 0 });
    const bad = await admin.graphql('{ workspace { usageSummary(month: "Feb 2020") { month } } }', {}, asKey(secret));
    expect(bad.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toMatch(/^month: /);
  });

  test('the operator sees every workspace with its month', async () => {
    const result = await admin.graphql<{ workspaces: { id: string; usageSummary: { avatarRequests: number } }[] }>(
      '{ workspaces { id usageSummary { avatarRequests } } }',
      {},
      asOperator(),
    );
    expect(result.data!.workspaces).toContainEqual({ id: workspaceId, usageSummary: { avatarRequests: 250 } });
  });
});
