import { createHash } from 'node:crypto';
import { channels } from '@avtrz/db/notify';
import { useTestDatabase } from '@avtrz/db/testing';
import { parseApiKey } from '@avtrz/shared/api-key';
import { beforeAll, describe, expect, test } from 'vitest';
import { asKey, createWorkspaceAsOperator, type GraphqlResult, useAdminServer } from './support/admin-server.ts';
import { useNotifications } from './support/notifications.ts';

const database = useTestDatabase();
const admin = useAdminServer(database);
const keyChanges = useNotifications(database, channels.apiKeys);

const KEY_FIELDS = 'id type name prefix last4 allowedDomains createdAt lastUsedAt revokedAt';

interface ApiKeyView {
  id: string;
  type: 'PUBLISHABLE' | 'SECRET';
  name: string | null;
  prefix: string;
  last4: string;
  allowedDomains: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

let secret: string;

beforeAll(async () => {
  secret = (await createWorkspaceAsOperator(admin, 'Keys Ltd')).key;
});

async function createKey(input: Record<string, unknown>) {
  return admin.graphql<{ createApiKey: { apiKey: ApiKeyView; key: string } }>(
    `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { ${KEY_FIELDS} } key } }`,
    { input },
    asKey(secret),
  );
}

async function listKeys(includeRevoked?: boolean) {
  const result = await admin.graphql<{ apiKeys: ApiKeyView[] }>(
    `query ($includeRevoked: Boolean) { apiKeys(includeRevoked: $includeRevoked) { ${KEY_FIELDS} } }`,
    includeRevoked === undefined ? {} : { includeRevoked },
    asKey(secret),
  );
  return result.data!.apiKeys;
}

describe('creating keys', () => {
  test('the full key is returned once, in the contract format, and only its hash is stored', async () => {
    keyChanges.clear();
    const result = await createKey({ type: 'PUBLISHABLE', name: 'Marketing site' });
    const { apiKey, key } = result.data!.createApiKey;
    expect(key).toMatch(/^pk_live_[0-9A-Za-z]{36}$/);
    expect(parseApiKey(key)).toEqual({ kind: 'publishable', key });
    expect(apiKey).toMatchObject({
      type: 'PUBLISHABLE',
      name: 'Marketing site',
      prefix: key.slice(0, 12),
      last4: key.slice(-4),
      allowedDomains: [],
      lastUsedAt: null,
      revokedAt: null,
    });
    const row = await database.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', apiKey.id)
      .executeTakeFirstOrThrow();
    expect(Buffer.from(row.key_hash).equals(createHash('sha256').update(key).digest())).toBe(true);
    expect(JSON.stringify(row)).not.toContain(key.slice(12, -4));
    // The list never shows the key again.
    const listed = (await listKeys()).find((k) => k.id === apiKey.id);
    expect(JSON.stringify(listed)).not.toContain(key);
    await keyChanges.waitFor(apiKey.id);
  });

  test('secret keys are sk_live_ keys; names are trimmed and empty means none', async () => {
    const result = await createKey({ type: 'SECRET', name: '   ' });
    expect(result.data!.createApiKey.key).toMatch(/^sk_live_/);
    expect(result.data!.createApiKey.apiKey.name).toBeNull();
    const long = await createKey({ type: 'SECRET', name: 'x'.repeat(201) });
    expect(long.code).toBe('BAD_USER_INPUT');
    expect(long.errors?.[0]?.message).toMatch(/^name: /);
  });

  test('allowed domains are normalised: URLs and upper case to hostnames, IDN to ASCII, duplicates dropped', async () => {
    const result = await createKey({
      type: 'PUBLISHABLE',
      allowedDomains: [
        'https://Example.com/path?q=1',
        'EXAMPLE.com',
        '*.Shop.Example.com',
        'Bücher.de:8080',
        'localhost',
      ],
    });
    expect(result.data!.createApiKey.apiKey.allowedDomains).toEqual([
      'example.com',
      '*.shop.example.com',
      'xn--bcher-kva.de',
      'localhost',
    ]);
  });

  test.each([['not a host'], ['192.168.1.1'], ['exa*mple.com'], [''], ['com']])(
    'an allowed domain like %j is refused with BAD_USER_INPUT naming the field',
    async (entry) => {
      const result = await createKey({ type: 'PUBLISHABLE', allowedDomains: ['ok.example.com', entry] });
      expect(result.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toMatch(/^allowedDomains: /);
      expect(result.data).toBeNull();
    },
  );

  test('an unknown key type is a validation error', async () => {
    const result = await createKey({ type: 'ROOT' });
    expect(result.errors?.[0]?.message).toMatch(/ApiKeyType/);
    expect(result.data ?? null).toBeNull();
  });
});

describe('changing keys', () => {
  test('updateApiKey changes name and domains and leaves out what is not given', async () => {
    const { apiKey } = (await createKey({ type: 'PUBLISHABLE', name: 'Before', allowedDomains: ['a.example.com'] }))
      .data!.createApiKey;
    keyChanges.clear();
    const renamed = await admin.graphql<{ updateApiKey: ApiKeyView }>(
      `mutation ($id: ID!) { updateApiKey(id: $id, input: { name: "After" }) { ${KEY_FIELDS} } }`,
      { id: apiKey.id },
      asKey(secret),
    );
    expect(renamed.data!.updateApiKey).toMatchObject({ name: 'After', allowedDomains: ['a.example.com'] });
    await keyChanges.waitFor(apiKey.id);
    keyChanges.clear();
    const domains = await admin.graphql<{ updateApiKey: ApiKeyView }>(
      `mutation ($id: ID!) { updateApiKey(id: $id, input: { allowedDomains: ["HTTPS://B.Example.com/"] }) { ${KEY_FIELDS} } }`,
      { id: apiKey.id },
      asKey(secret),
    );
    expect(domains.data!.updateApiKey).toMatchObject({ name: 'After', allowedDomains: ['b.example.com'] });
    await keyChanges.waitFor(apiKey.id);
    const cleared = await admin.graphql<{ updateApiKey: ApiKeyView }>(
      'mutation ($id: ID!) { updateApiKey(id: $id, input: { allowedDomains: [], name: null }) { name allowedDomains } }',
      { id: apiKey.id },
      asKey(secret),
    );
    expect(cleared.data!.updateApiKey).toEqual({ name: null, allowedDomains: [] });
    const bad = await admin.graphql(
      'mutation ($id: ID!) { updateApiKey(id: $id, input: { allowedDomains: ["http://"] }) { id } }',
      { id: apiKey.id },
      asKey(secret),
    );
    expect(bad.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toMatch(/^allowedDomains: /);
  });

  test('revoking is idempotent, notifies, and hides the key from the default list', async () => {
    const { apiKey } = (await createKey({ type: 'SECRET', name: 'Temporary' })).data!.createApiKey;
    keyChanges.clear();
    const revoke = `mutation ($id: ID!) { revokeApiKey(id: $id) { ${KEY_FIELDS} } }`;
    const first = await admin.graphql<{ revokeApiKey: ApiKeyView }>(revoke, { id: apiKey.id }, asKey(secret));
    expect(first.data!.revokeApiKey.revokedAt).not.toBeNull();
    await keyChanges.waitFor(apiKey.id);
    const again = await admin.graphql<{ revokeApiKey: ApiKeyView }>(revoke, { id: apiKey.id }, asKey(secret));
    expect(again.data!.revokeApiKey.revokedAt).toBe(first.data!.revokeApiKey.revokedAt);
    expect((await listKeys()).map((k) => k.id)).not.toContain(apiKey.id);
    expect((await listKeys(true)).map((k) => k.id)).toContain(apiKey.id);
    const update = await admin.graphql(
      'mutation ($id: ID!) { updateApiKey(id: $id, input: { name: "zombie" }) { id } }',
      { id: apiKey.id },
      asKey(secret),
    );
    expect(update.code).toBe('BAD_USER_INPUT');
    expect(update.errors?.[0]?.message).toMatch(/^id: .*revoked/);
  });

  test('unknown or malformed ids are NOT_FOUND', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'nope', "1' or '1'='1"]) {
      const result = await admin.graphql('mutation ($id: ID!) { revokeApiKey(id: $id) { id } }', { id }, asKey(secret));
      expect(result.code).toBe('NOT_FOUND');
    }
  });
});

describe('rolling keys', () => {
  test('rollApiKey creates the successor and keeps the old key working for the grace period', async () => {
    const old = (await createKey({ type: 'PUBLISHABLE', name: 'Widget', allowedDomains: ['widget.example.com'] })).data!
      .createApiKey;
    keyChanges.clear();
    const before = Date.now();
    const result = await admin.graphql<{ rollApiKey: { apiKey: ApiKeyView; key: string; previous: ApiKeyView } }>(
      `mutation ($id: ID!) { rollApiKey(id: $id, gracePeriodSeconds: 3600) { apiKey { ${KEY_FIELDS} } key previous { ${KEY_FIELDS} } } }`,
      { id: old.apiKey.id },
      asKey(secret),
    );
    const rolled = result.data!.rollApiKey;
    expect(rolled.key).toMatch(/^pk_live_/);
    expect(rolled.apiKey).toMatchObject({
      type: 'PUBLISHABLE',
      name: 'Widget',
      allowedDomains: ['widget.example.com'],
      revokedAt: null,
    });
    expect(rolled.apiKey.id).not.toBe(old.apiKey.id);
    const graceEnds = Date.parse(rolled.previous.revokedAt!);
    expect(graceEnds).toBeGreaterThanOrEqual(before + 3600_000 - 1000);
    expect(graceEnds).toBeLessThanOrEqual(Date.now() + 3600_000 + 1000);
    // Both are listed: the old one still works until its grace period ends.
    const listed = (await listKeys()).map((k) => k.id);
    expect(listed).toEqual(expect.arrayContaining([old.apiKey.id, rolled.apiKey.id]));
    await keyChanges.waitFor(old.apiKey.id);
    await keyChanges.waitFor(rolled.apiKey.id);
    // Revoking during the grace period stops the key now.
    const revoked = await admin.graphql<{ revokeApiKey: ApiKeyView }>(
      'mutation ($id: ID!) { revokeApiKey(id: $id) { revokedAt } }',
      { id: old.apiKey.id },
      asKey(secret),
    );
    expect(Date.parse(revoked.data!.revokeApiKey.revokedAt!)).toBeLessThanOrEqual(Date.now());
  });

  test('without a grace period the old key stops at once; revoked keys cannot be rolled; bad periods are refused', async () => {
    const old = (await createKey({ type: 'SECRET' })).data!.createApiKey;
    const roll =
      'mutation ($id: ID!, $grace: Int) { rollApiKey(id: $id, gracePeriodSeconds: $grace) { previous { revokedAt } } }';
    const negative = await admin.graphql(roll, { id: old.apiKey.id, grace: -1 }, asKey(secret));
    expect(negative.code).toBe('BAD_USER_INPUT');
    expect(negative.errors?.[0]?.message).toMatch(/^gracePeriodSeconds: /);
    const tooLong = await admin.graphql(roll, { id: old.apiKey.id, grace: 31 * 24 * 3600 }, asKey(secret));
    expect(tooLong.code).toBe('BAD_USER_INPUT');
    const now = await admin.graphql<{ rollApiKey: { previous: ApiKeyView } }>(
      roll,
      { id: old.apiKey.id },
      asKey(secret),
    );
    expect(Date.parse(now.data!.rollApiKey.previous.revokedAt!)).toBeLessThanOrEqual(Date.now());
    const oldWorks = await admin.graphql('{ workspace { id } }', {}, asKey(old.key));
    expect(oldWorks.code).toBe('invalid_key');
    const again = await admin.graphql(roll, { id: old.apiKey.id }, asKey(secret));
    expect(again.code).toBe('BAD_USER_INPUT');
  });
});

interface Connection {
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

describe('listing keys a page at a time', () => {
  test('apiKeysConnection walks the same list as apiKeys with cursors', async () => {
    const all = (await listKeys(true)).map((k) => k.id);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const result: GraphqlResult<{ apiKeysConnection: Connection }> = await admin.graphql(
        'query ($after: String) { apiKeysConnection(first: 3, after: $after, includeRevoked: true) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }',
        { after },
        asKey(secret),
      );
      const connection = result.data!.apiKeysConnection;
      expect(connection.edges.length).toBeLessThanOrEqual(3);
      seen.push(...connection.edges.map((e) => e.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
    const bad = await admin.graphql(
      '{ apiKeysConnection(after: "garbage") { pageInfo { hasNextPage } } }',
      {},
      asKey(secret),
    );
    expect(bad.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toMatch(/^after: /);
    const big = await admin.graphql(
      '{ apiKeysConnection(first: 101) { pageInfo { hasNextPage } } }',
      {},
      asKey(secret),
    );
    expect(big.errors?.[0]?.message).toMatch(/^first: /);
  });
});
