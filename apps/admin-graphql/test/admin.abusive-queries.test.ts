import { useTestDatabase } from '@avtrz/db/testing';
import { beforeAll, describe, expect, test } from 'vitest';
import { queryLimits } from '../src/graphql/yoga.ts';
import { asKey, createWorkspaceAsOperator, useAdminServer } from './support/admin-server.ts';

const database = useTestDatabase();
const admin = useAdminServer(database);

let secret: string;
const KEY_FIELDS = 'id type name prefix last4 allowedDomains createdAt lastUsedAt revokedAt';

beforeAll(async () => {
  secret = (await createWorkspaceAsOperator(admin, 'Limits')).key;
});

describe('documents that would cost too much are refused before they run', () => {
  test('a full page of 100 keys with every field is allowed', async () => {
    const result = await admin.graphql(
      `{ apiKeysConnection(first: 100) { edges { cursor node { ${KEY_FIELDS} } } pageInfo { hasNextPage endCursor } } }`,
      {},
      asKey(secret),
    );
    expect(result.errors).toBeUndefined();
  });

  test('cost: several full pages in one document', async () => {
    const page = (alias: string) => `${alias}: apiKeysConnection(first: 100) { edges { node { ${KEY_FIELDS} } } }`;
    const result = await admin.graphql(`{ ${page('a')} ${page('b')} ${page('c')} }`, {}, asKey(secret));
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.message).toMatch(new RegExp(`Cost limit of ${queryLimits.maxCost} exceeded`));
  });

  test('aliases: the same field asked for many times', async () => {
    const aliases = Array.from({ length: queryLimits.maxAliases + 1 }, (_, i) => `k${i}: apiKeys { id }`).join(' ');
    const result = await admin.graphql(`{ ${aliases} }`, {}, asKey(secret));
    expect(result.errors?.[0]?.message).toMatch(/Aliases limit/);
    expect(result.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  test('tokens: an enormous document', async () => {
    const fields = Array.from({ length: queryLimits.maxTokens }, () => 'id').join(' ');
    const result = await admin.graphql(`{ workspace { ${fields} } }`, {}, asKey(secret));
    expect(result.errors?.[0]?.message).toMatch(/Token limit/);
  });

  test('depth: deeply nested selections', async () => {
    let selection = 'id';
    for (let i = 0; i < queryLimits.maxDepth + 2; i++) selection = `workspace { ${selection} }`;
    const result = await admin.graphql(`{ ${selection} }`, {}, asKey(secret));
    expect(result.errors?.map((e) => e.message).join('\n')).toMatch(/exceeds maximum operation depth/);
  });

  test('batches of operations are not accepted', async () => {
    const response = await fetch(`${admin.url}/graphql`, {
      method: 'POST',
      headers: { ...asKey(secret), 'content-type': 'application/json' },
      body: JSON.stringify(Array.from({ length: 50 }, () => ({ query: '{ workspace { id } }' }))),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });

  test('oversized bodies are refused unread', async () => {
    const response = await fetch(`${admin.url}/graphql`, {
      method: 'POST',
      headers: { ...asKey(secret), 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ workspace { id } }', variables: { padding: 'x'.repeat(300 * 1024) } }),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
      'PAYLOAD_TOO_LARGE',
    );
  });

  test('garbage bodies are client errors, never 5xx', async () => {
    for (const body of [
      '{',
      'null',
      '"query"',
      JSON.stringify({ query: 42 }),
      JSON.stringify({ query: '{ workspace { id } }', variables: 'x' }),
    ]) {
      const response = await fetch(`${admin.url}/graphql`, {
        method: 'POST',
        headers: { ...asKey(secret), 'content-type': 'application/json' },
        body,
      });
      expect(response.status, body).toBeGreaterThanOrEqual(400);
      expect(response.status, body).toBeLessThan(500);
    }
  });
});

describe('recursive and broken fragment documents are validation errors, never a 5xx', () => {
  test.each([
    ['a fragment that spreads itself', 'fragment A on Query { ...A } { ...A }'],
    ['mutually cyclic fragments', 'fragment A on Query { ...B } fragment B on Query { ...A } { ...A }'],
    [
      'a cycle inside a field',
      'fragment W on Workspace { id plan { rateLimitPerMinute } ...W } { workspace { ...W } }',
    ],
    [
      'a long cycle through fields',
      'fragment A on Query { workspace { ...B } } fragment B on Workspace { id ...C } ' +
        'fragment C on Workspace { name ...B } { ...A }',
    ],
    ['an unknown fragment', '{ ...Nope }'],
    ['an unknown fragment inside a field', '{ workspace { id ...Nope } }'],
    [
      'a fragment defined twice',
      'fragment A on Query { workspace { id } } fragment A on Query { apiKeys { id } } { ...A }',
    ],
  ])('%s', async (_name, document) => {
    const result = await admin.graphql(document, {}, asKey(secret));
    expect(result.status).toBeLessThan(500);
    expect(result.data ?? null).toBeNull();
    expect(result.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(result.errors?.[0]?.message).toMatch(/fragment/i);
  });

  test('the server keeps answering after them', async () => {
    const result = await admin.graphql('{ workspace { name } }', {}, asKey(secret));
    expect(result.data).toEqual({ workspace: { name: 'Limits' } });
  });
});
