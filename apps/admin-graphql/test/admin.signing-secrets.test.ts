import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer } from '@avtrz/api/server';
import { signAvatarUrl } from '@avtrz/client';
import { useTestDatabase } from '@avtrz/db/testing';
import type { RunningServer } from '@avtrz/shared/http/serve';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startAdminServer } from '../src/server.ts';
import {
  type AdminClient,
  asKey,
  createWorkspaceAsOperator,
  type GraphqlResult,
  postGraphql,
  silentLogger,
  testConfig,
} from './support/admin-server.ts';
import { setUpFirstAccount, trpcMutate, trpcQuery } from './support/console-session.ts';

// Signing secrets (CONTRACT §8) through GraphQL and the console's tRPC router, and their effect on the API.
const database = useTestDatabase();
let dataDir: string;
let api: RunningServer;
let admin: RunningServer;
let secretKey: string;
let publishableId: string;
let publishableKey: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'avtrz-signing-'));
  const config = testConfig({ DATA_DIR: dataDir, RESOLVE_WAIT_MS: '0' });
  api = await startApiServer({ config, database, logger: silentLogger() }, 0);
  admin = await startAdminServer({ config, database, logger: silentLogger() }, 0);
  const workspace = await createWorkspaceAsOperator(
    { url: admin.url, graphql: (q, v, h) => postGraphql(admin.url, q, v, h) },
    'Signing',
  );
  secretKey = workspace.key;
  const created = await graphql<{ createApiKey: { apiKey: { id: string }; key: string } }>(
    'mutation { createApiKey(input: { type: PUBLISHABLE, allowedDomains: ["shop.example"] }) { apiKey { id } key } }',
  );
  publishableId = created.data!.createApiKey.apiKey.id;
  publishableKey = created.data!.createApiKey.key;
});
afterAll(async () => {
  await admin?.close();
  await api?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<GraphqlResult<T>> {
  return postGraphql<T>(admin.url, query, variables, asKey(secretKey));
}

const CREATE =
  'mutation ($keyId: ID!) { createSigningSecret(keyId: $keyId) { secret signingSecret { id keyId last4 createdAt revokedAt } } }';
const REVOKE = 'mutation ($id: ID!) { revokeSigningSecret(id: $id) { id revokedAt } }';
interface Created {
  createSigningSecret: {
    secret: string;
    signingSecret: { id: string; keyId: string; last4: string; revokedAt: string | null };
  };
}

async function signedStatus(secret: string): Promise<number> {
  const url = await signAvatarUrl(`${api.url}/v1/avatar?key=${publishableKey}&username=signed-person`, secret);
  const res = await fetch(url, { redirect: 'manual' });
  await res.arrayBuffer();
  return res.status;
}

async function within(ms: number, check: () => Promise<boolean>): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('GraphQL', () => {
  test('createSigningSecret returns the secret once; the key lists it without the secret; at most two are active', async () => {
    const first = await graphql<Created>(CREATE, { keyId: publishableId });
    expect(first.errors).toBeUndefined();
    const { secret, signingSecret } = first.data!.createSigningSecret;
    expect(secret).toMatch(/^avtrz_sig_[A-Za-z0-9_-]{43}$/);
    expect(signingSecret).toMatchObject({ keyId: publishableId, last4: secret.slice(-4), revokedAt: null });
    // The API admits URLs signed with it (the key has allowed domains; the request has no Origin).
    await within(2000, async () => (await signedStatus(secret)) === 200);

    const listed = await graphql<{ apiKeys: { id: string; signingSecrets: { id: string }[] }[] }>(
      '{ apiKeys { id signingSecrets { id last4 } } }',
    );
    expect(JSON.stringify(listed.data)).not.toContain(secret);
    expect(listed.data!.apiKeys.find((k) => k.id === publishableId)?.signingSecrets).toHaveLength(1);

    const second = await graphql<Created>(CREATE, { keyId: publishableId });
    expect(second.errors).toBeUndefined();
    const third = await graphql<Created>(CREATE, { keyId: publishableId });
    expect(third.code).toBe('BAD_USER_INPUT');
    expect(third.errors?.[0]?.message).toMatch(/^keyId: this key already has 2 active signing secrets/);

    // Revoking one makes room again, and stops URLs signed with it within 2 s.
    const revoked = await graphql<{ revokeSigningSecret: { id: string; revokedAt: string | null } }>(REVOKE, {
      id: signingSecret.id,
    });
    expect(revoked.data!.revokeSigningSecret.revokedAt).not.toBeNull();
    await within(2000, async () => (await signedStatus(secret)) === 401);
    expect(await signedStatus(second.data!.createSigningSecret.secret)).toBe(200);
    expect((await graphql<Created>(CREATE, { keyId: publishableId })).errors).toBeUndefined();
  });

  test('secret keys have no signing secrets; unknown ids are NOT_FOUND', async () => {
    const keys = await graphql<{ apiKeys: { id: string; type: string }[] }>('{ apiKeys { id type } }');
    const secretKeyId = keys.data!.apiKeys.find((k) => k.type === 'SECRET')!.id;
    const refused = await graphql<Created>(CREATE, { keyId: secretKeyId });
    expect(refused.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.message).toMatch(/^keyId: signing secrets are for publishable keys/);
    expect((await graphql<Created>(CREATE, { keyId: '00000000-0000-4000-8000-000000000000' })).code).toBe('NOT_FOUND');
    expect((await graphql<Created>(CREATE, { keyId: 'not-a-uuid' })).code).toBe('NOT_FOUND');
    expect((await graphql(REVOKE, { id: '00000000-0000-4000-8000-000000000000' })).code).toBe('NOT_FOUND');
  });

  test("another workspace cannot see or revoke this workspace's secrets", async () => {
    const created = await graphql<Created>(CREATE, { keyId: publishableId });
    const secretId = created.data?.createSigningSecret.signingSecret.id ?? '';
    const other = await createWorkspaceAsOperator(
      { url: admin.url, graphql: (q, v, h) => postGraphql(admin.url, q, v, h) },
      'Other',
    );
    expect((await postGraphql(admin.url, REVOKE, { id: secretId }, asKey(other.key))).code).toBe('NOT_FOUND');
    expect((await postGraphql(admin.url, CREATE, { keyId: publishableId }, asKey(other.key))).code).toBe('NOT_FOUND');
    await graphql(REVOKE, { id: secretId });
  });
});

describe('the console router (tRPC)', () => {
  test('signingSecrets.create, .list and .revoke follow the same rules, for a signed-in member', async () => {
    const client: AdminClient = {
      url: admin.url,
      graphql: (q: string, v?: Record<string, unknown>, h?: Record<string, string>) => postGraphql(admin.url, q, v, h),
    };
    const owner = await setUpFirstAccount(client, { workspaceName: 'Signing console' });
    const as = { cookie: owner.cookie };
    const workspaceId = owner.workspaceId;
    const key = await trpcMutate<{ apiKey: { id: string } }>(
      client,
      'apiKeys.create',
      { workspaceId, type: 'publishable' },
      as,
    );
    const keyId = key.data!.apiKey.id;
    await trpcMutate(client, 'signingSecrets.create', { workspaceId, keyId }, as);
    const created = await trpcMutate<{ secret: string; signingSecret: { id: string } }>(
      client,
      'signingSecrets.create',
      { workspaceId, keyId },
      as,
    );
    expect(created.status).toBe(200);
    expect(created.data!.secret).toMatch(/^avtrz_sig_/);
    const listed = await trpcQuery<{ id: string; last4: string }[]>(
      client,
      'signingSecrets.list',
      { workspaceId, keyId },
      as,
    );
    expect(listed.data!.map((s) => s.id)).toContain(created.data!.signingSecret.id);
    expect(JSON.stringify(listed.data)).not.toContain(created.data!.secret);
    const full = await trpcMutate(client, 'signingSecrets.create', { workspaceId, keyId }, as);
    expect(full.status).toBe(400);
    expect(full.error?.data.avtrzCode).toBe('invalid_input');
    const revoked = await trpcMutate<{ revokedAt: string | null }>(
      client,
      'signingSecrets.revoke',
      { workspaceId, id: created.data!.signingSecret.id },
      as,
    );
    expect(revoked.data!.revokedAt).not.toBeNull();
    const missing = await trpcMutate(
      client,
      'signingSecrets.revoke',
      { workspaceId, id: '00000000-0000-4000-8000-000000000000' },
      as,
    );
    expect(missing.status).toBe(404);
    expect(missing.error?.data.avtrzCode).toBe('signing_secret_not_found');
    // The key of the GraphQL workspace above is another workspace's: NOT_FOUND, exactly like a
    // key that does not exist, as the other key procedures answer; a secret key is no session.
    const foreign = await trpcQuery(client, 'signingSecrets.list', { workspaceId, keyId: publishableId }, as);
    expect(foreign.status).toBe(404);
    expect(foreign.error?.data.code).toBe('NOT_FOUND');
    expect(foreign.error?.data.avtrzCode).toBe('api_key_not_found');
    const nonexistent = await trpcQuery(
      client,
      'signingSecrets.list',
      { workspaceId, keyId: '00000000-0000-4000-8000-000000000000' },
      as,
    );
    expect(nonexistent.status).toBe(404);
    expect(nonexistent.error?.data.avtrzCode).toBe('api_key_not_found');
    const byKey = await fetch(
      `${admin.url}/trpc/signingSecrets.list?input=${encodeURIComponent(JSON.stringify({ workspaceId, keyId }))}`,
      {
        headers: asKey(secretKey),
      },
    );
    expect(byKey.status).toBe(401);
  });
});
