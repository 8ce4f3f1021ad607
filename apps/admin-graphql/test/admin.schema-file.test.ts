import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { astFromValue, type GraphQLField, type GraphQLObjectType, print } from 'graphql';
import { expect, test } from 'vitest';
import { printSortedSchema, schema } from '../src/schema/index.ts';

// The committed contract of the admin API. After changing the schema on purpose, refresh the file with
// `UPDATE_SCHEMA=1 vitest run --project admin-graphql schema-file` (or `pnpm --filter @avtrz/admin-graphql schema:update`).
const file = fileURLToPath(new URL('../schema.graphql', import.meta.url));

test('schema.graphql matches the schema the code builds', async () => {
  const printed = printSortedSchema();
  if (process.env.UPDATE_SCHEMA === '1') await writeFile(file, printed);
  const committed = await readFile(file, 'utf8');
  expect(committed, 'schema.graphql is out of date: run with UPDATE_SCHEMA=1 to refresh it').toBe(printed);
});

/** `name(arg: Type = default, …): Type`, arguments in declaration order, without descriptions. */
function signature(field: GraphQLField<unknown, unknown>): string {
  const args = field.args.map((arg) => {
    const value = arg.defaultValue === undefined ? undefined : astFromValue(arg.defaultValue, arg.type);
    return `${arg.name}: ${String(arg.type)}${value ? ` = ${print(value)}` : ''}`;
  });
  return `${field.name}${args.length ? `(${args.join(', ')})` : ''}: ${String(field.type)}`;
}

test('the contract operations are there with their exact shapes (CONTRACT section 4)', () => {
  const query = schema.getQueryType()!.getFields();
  const mutation = schema.getMutationType()!.getFields();
  expect(signature(query.workspace!)).toBe('workspace: Workspace!');
  expect(signature(query.apiKeys!)).toBe('apiKeys(includeRevoked: Boolean = false): [ApiKey!]!');
  expect(signature(query.usage!)).toBe(
    'usage(from: DateTime!, to: DateTime!, granularity: UsageGranularity = DAY, keyId: ID): [UsagePoint!]!',
  );
  expect(signature(query.profile!)).toBe('profile(username: String!): Profile');
  expect(signature(mutation.createWorkspace!)).toBe(
    'createWorkspace(input: CreateWorkspaceInput!): CreateWorkspacePayload!',
  );
  expect(signature(mutation.updatePlan!)).toBe('updatePlan(workspaceId: ID!, input: PlanInput!): Workspace!');
  expect(signature(mutation.createApiKey!)).toBe('createApiKey(input: CreateApiKeyInput!): CreateApiKeyPayload!');
  expect(signature(mutation.updateApiKey!)).toBe('updateApiKey(id: ID!, input: UpdateApiKeyInput!): ApiKey!');
  expect(signature(mutation.revokeApiKey!)).toBe('revokeApiKey(id: ID!): ApiKey!');
  expect(signature(mutation.refreshProfile!)).toBe('refreshProfile(username: String!): Profile!');
  const profile = schema.getType('Profile') as GraphQLObjectType;
  expect(signature(profile.getFields().imageUrl!)).toBe('imageUrl(size: Int = 128): String');
});
