import type { RunningServer } from '@avtrz/shared/http/serve';
import { type Config, loadConfig } from '@avtrz/shared/config';
import { createLogger, type Logger } from '@avtrz/shared/logger';
import type { TestDatabase } from '@avtrz/db/testing';
import { afterAll, beforeAll } from 'vitest';
import { startAdminServer } from '../../src/server.ts';

export const OPERATOR_TOKEN = 'op_test-operator-token-0123456789';

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ OPERATOR_TOKEN, HOST: '127.0.0.1', PUBLIC_CDN_URL: 'https://cdn.example.test/avatars', ...env });
}

export function silentLogger(): Logger {
  return createLogger({ name: 'test', level: 'silent', pretty: false });
}

export interface GraphqlResult<T = Record<string, any>> {
  readonly status: number;
  readonly data: T | null | undefined;
  readonly errors: { message: string; path?: string[]; extensions?: { code?: string } }[] | undefined;
  /** The code of the first error, where the contract puts it. */
  readonly code: string | undefined;
}

export interface AdminClient {
  readonly url: string;
  /** POSTs a GraphQL document with the given credential headers. */
  graphql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphqlResult<T>>;
}

export function asKey(key: string): Record<string, string> {
  return { 'x-api-key': key };
}

export function asOperator(workspaceId?: string): Record<string, string> {
  return { authorization: `Bearer ${OPERATOR_TOKEN}`, ...(workspaceId && { 'x-avtrz-workspace': workspaceId }) };
}

export async function postGraphql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphqlResult<T>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T | null; errors?: GraphqlResult['errors'] };
  return { status: response.status, data: body.data, errors: body.errors, code: body.errors?.[0]?.extensions?.code };
}

/** The admin API on a free loopback port against the file's test database, for the whole file. */
export function useAdminServer(database: TestDatabase, env: Record<string, string> = {}): AdminClient {
  let server: RunningServer | undefined;
  beforeAll(async () => {
    server = await startAdminServer({ config: testConfig(env), database, logger: silentLogger() }, 0);
  });
  afterAll(async () => {
    await server?.close();
  });
  const url = () => {
    if (!server) throw new Error('the admin server runs only inside tests');
    return server.url;
  };
  return {
    get url() {
      return url();
    },
    graphql: (query, variables, headers) => postGraphql(url(), query, variables, headers),
  };
}

const CREATE_WORKSPACE = /* GraphQL */ `
  mutation ($input: CreateWorkspaceInput!) {
    createWorkspace(input: $input) {
      workspace {
        id
        name
      }
      apiKey {
        id
      }
      key
    }
  }
`;

/** A workspace made through the operator API, with its first secret key. */
export async function createWorkspaceAsOperator(admin: AdminClient, name = 'Acme', plan?: Record<string, number>) {
  const result = await admin.graphql<{
    createWorkspace: { workspace: { id: string; name: string }; apiKey: { id: string }; key: string };
  }>(CREATE_WORKSPACE, { input: { name, ...(plan && { plan }) } }, asOperator());
  if (!result.data?.createWorkspace) throw new Error(`createWorkspace failed: ${JSON.stringify(result.errors)}`);
  const { workspace, apiKey, key } = result.data.createWorkspace;
  return { workspaceId: workspace.id, keyId: apiKey.id, key };
}
