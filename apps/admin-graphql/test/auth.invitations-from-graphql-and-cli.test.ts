import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { useTestDatabase } from '@avtrz/db/testing';
import { beforeAll, describe, expect, test } from 'vitest';
import { asKey, asOperator, createWorkspaceAsOperator, useAdminServer } from './support/admin-server.ts';
import { PASSWORD, sessionCookieOf, tokenOfInvitationUrl, trpcMutate, trpcQuery } from './support/console-session.ts';

// The operator (GraphQL, CLI) and a workspace's secret key invite people; the link works in the console.
const database = useTestDatabase();
const admin = useAdminServer(database);
const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

const CREATE_INVITATION = /* GraphQL */ `
  mutation ($workspaceId: ID!, $email: String!, $role: MemberRole) {
    createInvitation(workspaceId: $workspaceId, email: $email, role: $role) {
      id
      email
      role
      url
      expiresAt
    }
  }
`;

let acme: { workspaceId: string; key: string };
let other: { workspaceId: string; key: string };

beforeAll(async () => {
  acme = await createWorkspaceAsOperator(admin, 'Acme');
  other = await createWorkspaceAsOperator(admin, 'Other');
});

interface InvitationResult {
  createInvitation: { id: string; email: string; role: string; url: string; expiresAt: string };
}

describe('createInvitation (GraphQL)', () => {
  test('the operator invites an owner; the link makes the account, an owner of the workspace', async () => {
    const result = await admin.graphql<InvitationResult>(
      CREATE_INVITATION,
      { workspaceId: acme.workspaceId, email: 'Boss@Example.com', role: 'OWNER' },
      asOperator(),
    );
    expect(result.data?.createInvitation).toMatchObject({ email: 'boss@example.com', role: 'OWNER' });
    const token = tokenOfInvitationUrl(result.data!.createInvitation.url);
    expect(result.data!.createInvitation.url.startsWith(`${admin.url}/invite#token=`)).toBe(true);
    const accepted = await trpcMutate(admin, 'invitations.accept', { token, password: PASSWORD });
    const me = await trpcQuery(admin, 'session.me', undefined, { cookie: sessionCookieOf(accepted.headers) });
    expect(me.data.workspaces).toEqual([{ id: acme.workspaceId, name: 'Acme', role: 'owner' }]);
  });

  test("a secret key invites into its own workspace only; another workspace's id is not found", async () => {
    const own = await admin.graphql<InvitationResult>(
      CREATE_INVITATION,
      { workspaceId: acme.workspaceId, email: 'dev@example.com' },
      asKey(acme.key),
    );
    expect(own.data?.createInvitation).toMatchObject({ email: 'dev@example.com', role: 'MEMBER' });
    const foreign = await admin.graphql(
      CREATE_INVITATION,
      { workspaceId: other.workspaceId, email: 'dev@example.com' },
      asKey(acme.key),
    );
    expect(foreign.code).toBe('NOT_FOUND');
    const bad = await admin.graphql(
      CREATE_INVITATION,
      { workspaceId: acme.workspaceId, email: 'not an email' },
      asOperator(),
    );
    expect([bad.code, bad.errors?.[0]?.message]).toEqual(['BAD_USER_INPUT', 'email: enter an email address']);
    const invitations = await database.db.selectFrom('invitations').select('workspace_id').execute();
    expect(invitations.every((i) => i.workspace_id === acme.workspaceId)).toBe(true);
  });
});

function avtrz(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [main, ...args],
      {
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, CONSOLE_URL: 'https://console.example.test' },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('avtrz invite', () => {
  test('prints the single-use link under CONSOLE_URL', async () => {
    const run = await avtrz([
      'invite',
      '--workspace',
      other.workspaceId,
      '--email',
      'ops@example.com',
      '--role',
      'owner',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Invited ops@example\.com as owner of "Other"/);
    const url = /https:\/\/console\.example\.test\/invite#token=\S+/.exec(run.stdout)?.[0];
    expect(url).toBeDefined();
    const described = await trpcQuery(admin, 'invitations.describe', { token: tokenOfInvitationUrl(url!) });
    expect(described.data).toMatchObject({ workspaceName: 'Other', email: 'ops@example.com', role: 'owner' });
  });

  test('explains itself and refuses bad input', async () => {
    const help = await avtrz(['invite', '--help']);
    expect([help.code, help.stdout]).toEqual([
      0,
      expect.stringMatching(/Usage: avtrz invite --workspace <id> --email <email>/),
    ]);
    const role = await avtrz([
      'invite',
      '--workspace',
      other.workspaceId,
      '--email',
      'a@example.com',
      '--role',
      'admin',
    ]);
    expect([role.code, role.stderr]).toEqual([2, expect.stringMatching(/--role must be owner or member/)]);
    const missing = await avtrz(['invite', '--workspace', other.workspaceId]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/--email is required/)]);
  });
});
