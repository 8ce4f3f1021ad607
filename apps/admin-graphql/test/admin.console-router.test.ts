import { useTestDatabase } from '@avtrz/db/testing';
import { beforeAll, describe, expect, test } from 'vitest';
import { asKey, createWorkspaceAsOperator, useAdminServer } from './support/admin-server.ts';

// The console's tRPC router at /trpc, called the way @trpc/client's httpLink calls it (no batching).
const database = useTestDatabase();
const admin = useAdminServer(database);

let secret: string;
let workspaceId: string;
let firstKeyId: string;

beforeAll(async () => {
  const acme = await createWorkspaceAsOperator(admin, 'Console', { monthlyRequestQuota: 500 });
  secret = acme.key;
  workspaceId = acme.workspaceId;
  firstKeyId = acme.keyId;
});

interface TrpcResponse<T> {
  status: number;
  data?: T;
  error?: { message: string; data: { code: string; httpStatus: number; avtrzCode: string | null } };
}

async function query<T>(path: string, input: unknown, headers: Record<string, string>): Promise<TrpcResponse<T>> {
  const search = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const response = await fetch(`${admin.url}/trpc/${path}${search}`, { headers });
  return parse<T>(response);
}

async function mutate<T>(path: string, input: unknown, headers: Record<string, string>): Promise<TrpcResponse<T>> {
  const response = await fetch(`${admin.url}/trpc/${path}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  return parse<T>(response);
}

async function parse<T>(response: Response): Promise<TrpcResponse<T>> {
  const body = (await response.json()) as { result?: { data: T }; error?: TrpcResponse<T>['error'] };
  return { status: response.status, data: body.result?.data, error: body.error };
}

interface KeyView {
  id: string;
  type: string;
  name: string | null;
  allowedDomains: string[];
  revokedAt: string | null;
}

describe('the console router', () => {
  test('lists, creates and revokes keys with the same rules as GraphQL', async () => {
    const listed = await query<KeyView[]>('apiKeys.list', undefined, asKey(secret));
    expect(listed.data!.map((k) => k.id)).toEqual([firstKeyId]);

    const created = await mutate<{ apiKey: KeyView; key: string }>(
      'apiKeys.create',
      { type: 'publishable', name: 'Landing page', allowedDomains: ['https://WWW.Example.com/'] },
      asKey(secret),
    );
    expect(created.data!.key).toMatch(/^pk_live_/);
    expect(created.data!.apiKey).toMatchObject({
      type: 'publishable',
      name: 'Landing page',
      allowedDomains: ['www.example.com'],
    });

    const bad = await mutate('apiKeys.create', { type: 'publishable', allowedDomains: ['not a host'] }, asKey(secret));
    expect(bad.status).toBe(400);
    expect(bad.error!.data.avtrzCode).toBe('invalid_input');
    expect(bad.error!.message).toMatch(/^allowedDomains: /);

    const revoked = await mutate<KeyView>('apiKeys.revoke', { id: created.data!.apiKey.id }, asKey(secret));
    expect(revoked.data!.revokedAt).not.toBeNull();
    const after = await query<KeyView[]>('apiKeys.list', { includeRevoked: true }, asKey(secret));
    expect(after.data!.map((k) => [k.id, k.revokedAt !== null])).toEqual([
      [firstKeyId, false],
      [created.data!.apiKey.id, true],
    ]);
    // The GraphQL API sees the same keys.
    const viaGraphql = await admin.graphql<{ apiKeys: { id: string }[] }>('{ apiKeys { id } }', {}, asKey(secret));
    expect(viaGraphql.data!.apiKeys.map((k) => k.id)).toEqual([firstKeyId]);
  });

  test('reads usage and the month against the plan', async () => {
    await database.db
      .insertInto('usage_hourly')
      .values({
        key_id: firstKeyId,
        workspace_id: workspaceId,
        hour: new Date('2026-09-10T08:00:00Z'),
        billable: 4,
        fallbacks: 1,
      })
      .execute();
    const series = await query<{ start: string; keyId: string; billable: number; fallbacks: number }[]>(
      'usage.series',
      { from: '2026-09-01T00:00:00Z', to: '2026-10-01T00:00:00Z', granularity: 'day' },
      asKey(secret),
    );
    expect(series.data).toEqual([
      {
        start: '2026-09-10T00:00:00.000Z',
        keyId: firstKeyId,
        billable: 4,
        notModified: 0,
        fallbacks: 1,
        newProfiles: 0,
        rejected: 0,
      },
    ]);
    const backwards = await query(
      'usage.series',
      { from: '2026-10-01T00:00:00Z', to: '2026-09-01T00:00:00Z' },
      asKey(secret),
    );
    expect(backwards.status).toBe(400);
    expect(backwards.error!.message).toMatch(/^to: /);
    const summary = await query<{ avatarRequests: number; plan: { monthlyRequestQuota: number } }>(
      'usage.summary',
      undefined,
      asKey(secret),
    );
    expect(summary.data).toMatchObject({ avatarRequests: 0, plan: { monthlyRequestQuota: 500 } });
  });

  test('authenticates like GraphQL: missing, invalid and publishable keys are refused', async () => {
    const missing = await query('apiKeys.list', undefined, {});
    expect([missing.status, missing.error!.data.avtrzCode]).toEqual([401, 'missing_key']);
    const invalid = await query('apiKeys.list', undefined, asKey('sk_live_wrong'));
    expect([invalid.status, invalid.error!.data.avtrzCode]).toEqual([401, 'invalid_key']);
    const publishable = await mutate<{ key: string }>('apiKeys.create', { type: 'publishable' }, asKey(secret));
    const refused = await query('apiKeys.list', undefined, asKey(publishable.data!.key));
    expect([refused.status, refused.error!.data.avtrzCode]).toEqual([403, 'publishable_key_not_allowed']);
  });
});
