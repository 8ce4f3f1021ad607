import { useTestDatabase } from '@avtrz/db/testing';
import { beforeAll, describe, expect, test } from 'vitest';
import { asKey, useAdminServer } from './support/admin-server.ts';
import { type SetUpPerson, setUpFirstAccount, trpcMutate, trpcQuery } from './support/console-session.ts';

// The console's tRPC router at /trpc, called with a person's session cookie the way @trpc/client's httpLink calls it.
const database = useTestDatabase();
const admin = useAdminServer(database);

let owner: SetUpPerson;
let workspaceId: string;

beforeAll(async () => {
  owner = await setUpFirstAccount(admin, { workspaceName: 'Console' });
  workspaceId = owner.workspaceId;
  await database.db
    .updateTable('workspaces')
    .set({ monthly_request_quota: 500 })
    .where('id', '=', workspaceId)
    .execute();
});

interface KeyView {
  id: string;
  type: string;
  name: string | null;
  allowedDomains: string[];
  revokedAt: string | null;
}

const as = () => ({ cookie: owner.cookie });

describe('the console router', () => {
  test('creates, edits, lists and revokes keys with the same rules as GraphQL', async () => {
    expect((await trpcQuery<KeyView[]>(admin, 'apiKeys.list', { workspaceId }, as())).data).toEqual([]);
    const created = await trpcMutate<{ apiKey: KeyView; key: string }>(
      admin,
      'apiKeys.create',
      { workspaceId, type: 'secret', name: 'Server', allowedDomains: [] },
      as(),
    );
    expect(created.data!.key).toMatch(/^sk_live_/);
    const publishable = await trpcMutate<{ apiKey: KeyView; key: string }>(
      admin,
      'apiKeys.create',
      { workspaceId, type: 'publishable', name: 'Landing page', allowedDomains: ['https://WWW.Example.com/'] },
      as(),
    );
    expect(publishable.data!.apiKey).toMatchObject({ type: 'publishable', allowedDomains: ['www.example.com'] });

    const bad = await trpcMutate(
      admin,
      'apiKeys.create',
      { workspaceId, type: 'publishable', allowedDomains: ['not a host'] },
      as(),
    );
    expect([bad.status, bad.error!.data.avtrzCode]).toEqual([400, 'invalid_input']);
    expect(bad.error!.message).toMatch(/^allowedDomains: /);

    const edited = await trpcMutate<KeyView>(
      admin,
      'apiKeys.update',
      { workspaceId, id: publishable.data!.apiKey.id, name: 'Docs', allowedDomains: ['docs.example.com'] },
      as(),
    );
    expect(edited.data).toMatchObject({ name: 'Docs', allowedDomains: ['docs.example.com'] });

    const revoked = await trpcMutate<KeyView>(
      admin,
      'apiKeys.revoke',
      { workspaceId, id: publishable.data!.apiKey.id },
      as(),
    );
    expect(revoked.data!.revokedAt).not.toBeNull();
    const listed = await trpcQuery<KeyView[]>(admin, 'apiKeys.list', { workspaceId, includeRevoked: true }, as());
    expect(listed.data!.map((k) => [k.id, k.revokedAt !== null])).toEqual([
      [created.data!.apiKey.id, false],
      [publishable.data!.apiKey.id, true],
    ]);
    // The GraphQL API, with the secret key made here, sees the same keys.
    const viaGraphql = await admin.graphql<{ apiKeys: { id: string }[] }>(
      '{ apiKeys { id } }',
      {},
      asKey(created.data!.key),
    );
    expect(viaGraphql.data!.apiKeys.map((k) => k.id)).toEqual([created.data!.apiKey.id]);
  });

  test('rolls a key with a grace period', async () => {
    const created = await trpcMutate<{ apiKey: KeyView }>(
      admin,
      'apiKeys.create',
      { workspaceId, type: 'publishable' },
      as(),
    );
    const before = Date.now();
    const rolled = await trpcMutate<{ apiKey: KeyView; key: string; previous: KeyView }>(
      admin,
      'apiKeys.roll',
      { workspaceId, id: created.data!.apiKey.id, gracePeriodSeconds: 3600 },
      as(),
    );
    expect(rolled.data!.key).toMatch(/^pk_live_/);
    expect(rolled.data!.apiKey.id).not.toBe(created.data!.apiKey.id);
    const endsAt = Date.parse(rolled.data!.previous.revokedAt!);
    expect(endsAt).toBeGreaterThanOrEqual(before + 3600_000 - 1000);
    expect(endsAt).toBeLessThanOrEqual(Date.now() + 3600_000 + 1000);
    const tooLong = await trpcMutate(
      admin,
      'apiKeys.roll',
      { workspaceId, id: rolled.data!.apiKey.id, gracePeriodSeconds: 10 ** 9 },
      as(),
    );
    expect(tooLong.error!.message).toMatch(/^gracePeriodSeconds: /);
  });

  test('reads usage per key and the month against the plan', async () => {
    const created = await trpcMutate<{ apiKey: KeyView }>(
      admin,
      'apiKeys.create',
      { workspaceId, type: 'secret' },
      as(),
    );
    const keyId = created.data!.apiKey.id;
    await database.db
      .insertInto('usage_hourly')
      .values({
        key_id: keyId,
        workspace_id: workspaceId,
        hour: new Date('2026-09-10T08:00:00Z'),
        billable: 4,
        fallbacks: 1,
      })
      .execute();
    const series = await trpcQuery(
      admin,
      'usage.series',
      { workspaceId, from: '2026-09-01T00:00:00Z', to: '2026-10-01T00:00:00Z', granularity: 'day', keyId },
      as(),
    );
    expect(series.data).toEqual([
      {
        start: '2026-09-10T00:00:00.000Z',
        keyId,
        billable: 4,
        notModified: 0,
        fallbacks: 1,
        newProfiles: 0,
        rejected: 0,
      },
    ]);
    const backwards = await trpcQuery(
      admin,
      'usage.series',
      { workspaceId, from: '2026-10-01T00:00:00Z', to: '2026-09-01T00:00:00Z' },
      as(),
    );
    expect(backwards.status).toBe(400);
    expect(backwards.error!.message).toMatch(/^to: /);
    const month = await trpcQuery(admin, 'usage.month', { workspaceId }, as());
    expect(month.data).toMatchObject({
      avatarRequests: 0,
      avatarNewProfiles: 0,
      plan: { monthlyRequestQuota: 500, monthlyNewProfileQuota: 1000 },
    });
  });

  test('looks a profile up and asks for a refresh', async () => {
    const unknown = await trpcQuery(admin, 'profiles.lookup', { workspaceId, username: 'alex-rivera' }, as());
    expect([unknown.status, unknown.data]).toEqual([200, null]);
    const refreshed = await trpcMutate(admin, 'profiles.refresh', { workspaceId, username: 'Alex-Rivera' }, as());
    expect(refreshed.data).toEqual({
      username: 'alex-rivera',
      status: 'pending',
      imageUrls: { '32': null, '64': null, '128': null, '256': null, '512': null },
      resolvedAt: null,
      checkedAt: null,
    });
    const bad = await trpcQuery(admin, 'profiles.lookup', { workspaceId, username: 'no spaces allowed' }, as());
    expect([bad.status, bad.error!.data.avtrzCode]).toEqual([400, 'invalid_username']);
  });

  test('answers the workspace with the caller role and plan', async () => {
    const workspace = await trpcQuery(admin, 'workspace.get', { workspaceId }, as());
    expect(workspace.data).toMatchObject({
      id: workspaceId,
      name: 'Console',
      role: 'owner',
      plan: { monthlyRequestQuota: 500 },
    });
  });
});

describe('input the schema refuses', () => {
  test('is answered 400 naming each field, without echoing what was sent', async () => {
    const result = await trpcMutate(
      admin,
      'apiKeys.create',
      { workspaceId, type: 'golden', name: 42, allowedDomains: 'secret-looking-value' },
      as(),
    );
    expect(result.status).toBe(400);
    expect(result.error!.message).toMatch(/^type: .+; name: .+; allowedDomains: /);
    expect(result.text).not.toContain('golden');
    expect(result.text).not.toContain('secret-looking-value');
  });
});

describe('request bodies', () => {
  test('are limited to 256 KiB even when chunked (413, nothing done)', async () => {
    const before = await trpcQuery<KeyView[]>(admin, 'apiKeys.list', { workspaceId }, as());
    const response = await fetch(`${admin.url}/trpc/apiKeys.create`, {
      method: 'POST',
      headers: { origin: admin.url, cookie: owner.cookie, 'content-type': 'application/json' },
      // A stream: no Content-Length to check up front.
      body: new Blob([JSON.stringify({ workspaceId, type: 'secret', name: 'x'.repeat(300 * 1024) })]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    const after = await trpcQuery<KeyView[]>(admin, 'apiKeys.list', { workspaceId }, as());
    expect(after.data!.length).toBe(before.data!.length);
  });
});
