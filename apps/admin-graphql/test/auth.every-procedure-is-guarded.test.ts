import { randomUUID } from 'node:crypto';
import { useTestDatabase } from '@avtrz/db/testing';
import { beforeAll, describe, expect, test } from 'vitest';
import { appRouter } from '../src/trpc/root.ts';
import { useAdminServer } from './support/admin-server.ts';
import {
  type CallOptions,
  inviteAndJoin,
  type SetUpPerson,
  setUpFirstAccount,
  trpcMutate,
  trpcQuery,
  type TrpcResult,
} from './support/console-session.ts';

// Driven by the router's own list of procedures: a procedure added without a sample input here fails,
// and so does one that answers without a session or touches another workspace.
const database = useTestDatabase();
const admin = useAdminServer(database);

/** Callable by anyone (setup and invitation links); every other procedure needs a session. */
const PUBLIC = new Set(['config.public', 'setup.status', 'setup.create', 'invitations.describe', 'invitations.accept']);
/** Need a session but act on no workspace. */
const NO_WORKSPACE = new Set(['session.me']);

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
).map(([path, procedure]) => ({ path, type: procedure._def.type as 'query' | 'mutation' }));

let alice: SetUpPerson;
let bob: { cookie: string; workspaceId: string };
/** Ids inside Bob's workspace that Alice must not reach. */
let bobs: { keyId: string; userId: string; invitationId: string; name: string };
/** What Bob sees of his workspace before Alice tries anything. */
let bobsView: unknown;

async function viewOfBobsWorkspace(): Promise<unknown> {
  const as = { cookie: bob.cookie };
  const w = { workspaceId: bob.workspaceId };
  return {
    keys: (await trpcQuery(admin, 'apiKeys.list', { ...w, includeRevoked: true }, as)).data,
    members: (await trpcQuery(admin, 'members.list', w, as)).data,
    invitations: (await trpcQuery(admin, 'invitations.list', w, as)).data,
    workspace: (await trpcQuery(admin, 'workspace.get', w, as)).data,
  };
}

/** A valid input for each workspace procedure, aimed at workspace `w` with ids from `ids`. */
function sampleInput(path: string, w: string, ids: { keyId: string; userId: string; invitationId: string }): unknown {
  const samples: Record<string, unknown> = {
    'workspace.get': { workspaceId: w },
    'apiKeys.list': { workspaceId: w },
    'apiKeys.create': { workspaceId: w, type: 'publishable', name: 'sneaky' },
    'apiKeys.update': { workspaceId: w, id: ids.keyId, name: 'renamed' },
    'apiKeys.roll': { workspaceId: w, id: ids.keyId, gracePeriodSeconds: 0 },
    'apiKeys.revoke': { workspaceId: w, id: ids.keyId },
    'usage.series': { workspaceId: w, from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z', granularity: 'hour' },
    'usage.month': { workspaceId: w },
    'profiles.lookup': { workspaceId: w, username: 'alex-rivera' },
    'profiles.refresh': { workspaceId: w, username: 'alex-rivera' },
    'members.list': { workspaceId: w },
    'members.updateRole': { workspaceId: w, userId: ids.userId, role: 'member' },
    'members.remove': { workspaceId: w, userId: ids.userId },
    'invitations.list': { workspaceId: w },
    'invitations.create': { workspaceId: w, email: 'someone@example.com', role: 'owner' },
    'invitations.revoke': { workspaceId: w, id: ids.invitationId },
    'traffic.hosts': { workspaceId: w, days: 7, keyId: ids.keyId },
    'signingSecrets.list': { workspaceId: w, keyId: ids.keyId },
    'signingSecrets.create': { workspaceId: w, keyId: ids.keyId },
    'signingSecrets.revoke': { workspaceId: w, id: ids.keyId },
    'session.me': undefined,
    'config.public': undefined,
    'setup.status': undefined,
    'setup.create': {
      operatorToken: 'wrong-token-wrong-token',
      email: 'x@example.com',
      password: 'a long enough password',
      workspaceName: 'X',
    },
    'invitations.describe': { token: 'not-a-token' },
    'invitations.accept': { token: 'not-a-token', password: 'a long enough password' },
  };
  if (!(path in samples)) throw new Error(`add a sample input for the new procedure ${path} to this test`);
  return samples[path];
}

function call(path: string, type: 'query' | 'mutation', input: unknown, options: CallOptions): Promise<TrpcResult> {
  return type === 'query' ? trpcQuery(admin, path, input, options) : trpcMutate(admin, path, input, options);
}

beforeAll(async () => {
  alice = await setUpFirstAccount(admin, { email: 'alice@example.com', workspaceName: 'Alice Inc' });
  // Bob owns a workspace of his own (made by the operator's GraphQL, then an invitation into it).
  const created = await admin.graphql<{ createWorkspace: { workspace: { id: string } } }>(
    'mutation { createWorkspace(input: { name: "Bobs Secret Workspace" }) { workspace { id } } }',
    {},
    { authorization: 'Bearer op_test-operator-token-0123456789' },
  );
  const bobWorkspace = created.data!.createWorkspace.workspace.id;
  await database.db
    .insertInto('memberships')
    .values({ workspace_id: bobWorkspace, user_id: alice.userId, role: 'owner' })
    .execute();
  const joined = await inviteAndJoin(
    admin,
    { cookie: alice.cookie, workspaceId: bobWorkspace },
    'bob@example.com',
    'owner',
  );
  bob = { cookie: joined.cookie, workspaceId: bobWorkspace };
  // Alice leaves Bob's workspace: from now on it is someone else's.
  await database.db
    .deleteFrom('memberships')
    .where('workspace_id', '=', bobWorkspace)
    .where('user_id', '=', alice.userId)
    .execute();
  const key = await trpcMutate(
    admin,
    'apiKeys.create',
    { workspaceId: bobWorkspace, type: 'secret', name: 'Bob key' },
    { cookie: bob.cookie },
  );
  const invitation = await trpcMutate(
    admin,
    'invitations.create',
    { workspaceId: bobWorkspace, email: 'carol@example.com' },
    { cookie: bob.cookie },
  );
  const bobUser = await database.db
    .selectFrom('auth_user')
    .select('id')
    .where('email', '=', 'bob@example.com')
    .executeTakeFirstOrThrow();
  bobs = {
    keyId: key.data.apiKey.id,
    userId: bobUser.id,
    invitationId: invitation.data.id,
    name: 'Bobs Secret Workspace',
  };
  bobsView = await viewOfBobsWorkspace();
});

describe('every console procedure', () => {
  test('the list covers the router', () => {
    expect(procedures.length).toBeGreaterThanOrEqual(20);
    for (const { path } of procedures) sampleInput(path, randomUUID(), { keyId: '', userId: '', invitationId: '' });
  });

  test.each(procedures.filter((p) => !PUBLIC.has(p.path)))(
    '$path refuses a call without a session (401)',
    async ({ path, type }) => {
      const result = await call(path, type, sampleInput(path, bob.workspaceId, bobs), {});
      expect([result.status, result.error?.data.code, result.error?.data.avtrzCode]).toEqual([
        401,
        'UNAUTHORIZED',
        'unauthenticated',
      ]);
      expect(result.text).not.toContain(bobs.name);
    },
  );

  test.each(procedures.filter((p) => !PUBLIC.has(p.path)))(
    '$path refuses a forged or ended session (401)',
    async ({ path, type }) => {
      const result = await call(path, type, sampleInput(path, bob.workspaceId, bobs), {
        cookie: 'better-auth.session_token=forged.signature',
      });
      expect(result.status).toBe(401);
    },
  );

  test.each(procedures.filter((p) => !PUBLIC.has(p.path) && !NO_WORKSPACE.has(p.path)))(
    "$path answers NOT_FOUND for another workspace's ids and leaks nothing",
    async ({ path, type }) => {
      const result = await call(path, type, sampleInput(path, bob.workspaceId, bobs), { cookie: alice.cookie });
      expect([result.status, result.error?.data.avtrzCode]).toEqual([404, 'workspace_not_found']);
      // The same answer as for a workspace that does not exist at all.
      const missing = await call(path, type, sampleInput(path, randomUUID(), bobs), { cookie: alice.cookie });
      expect([missing.status, missing.error?.message]).toEqual([404, result.error?.message]);
      for (const secret of [
        bobs.name,
        bobs.keyId,
        bobs.userId,
        bobs.invitationId,
        'bob@example.com',
        'carol@example.com',
      ]) {
        expect(result.text).not.toContain(secret);
      }
    },
  );

  test("nothing in Bob's workspace changed", async () => {
    expect(await viewOfBobsWorkspace()).toEqual(bobsView);
  });

  test.each(procedures.filter((p) => p.type === 'mutation'))(
    '$path refuses a call from another origin, or none (403)',
    async ({ path }) => {
      const input = sampleInput(path, alice.workspaceId, {
        keyId: randomUUID(),
        userId: alice.userId,
        invitationId: randomUUID(),
      });
      for (const origin of ['http://evil.example', 'null', null]) {
        const result = await trpcMutate(admin, path, input, { cookie: alice.cookie, origin });
        expect([result.status, result.error?.data.avtrzCode]).toEqual([403, 'cross_origin_refused']);
      }
    },
  );
});
