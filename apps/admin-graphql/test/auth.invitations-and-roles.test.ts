import { useTestDatabase } from '@avtrz/db/testing';
import { beforeAll, describe, expect, test } from 'vitest';
import { useAdminServer } from './support/admin-server.ts';
import {
  inviteAndJoin,
  PASSWORD,
  type SetUpPerson,
  sessionCookieOf,
  setUpFirstAccount,
  signIn,
  tokenOfInvitationUrl,
  trpcMutate,
  trpcQuery,
} from './support/console-session.ts';

// Invitations (single-use, 7 days) and what owners and members may do with each other.
const database = useTestDatabase();
const admin = useAdminServer(database);

let owner: SetUpPerson;
let workspaceId: string;
const asOwner = () => ({ cookie: owner.cookie });

beforeAll(async () => {
  owner = await setUpFirstAccount(admin, { email: 'owner@example.com', workspaceName: 'Acme' });
  workspaceId = owner.workspaceId;
});

async function invite(email: string, role: 'owner' | 'member' = 'member') {
  const created = await trpcMutate(admin, 'invitations.create', { workspaceId, email, role }, asOwner());
  expect(created.status).toBe(200);
  return { ...created.data, token: tokenOfInvitationUrl(created.data.url) } as {
    id: string;
    url: string;
    expiresAt: string;
    token: string;
  };
}

describe('invitations', () => {
  test('an owner invites; the link sets a password, signs the person in, and works once', async () => {
    const before = Date.now();
    const invitation = await invite('Member@Example.com');
    expect(invitation.url).toMatch(new RegExp(`^${admin.url}/invite#token=[A-Za-z0-9_-]{43}$`));
    const expires = Date.parse(invitation.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 7 * 86_400_000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000 + 1000);
    // Only a hash of the token is stored.
    const stored = await database.db
      .selectFrom('invitations')
      .select('token_hash')
      .where('id', '=', invitation.id)
      .executeTakeFirstOrThrow();
    expect(Buffer.from(stored.token_hash).toString('base64url')).not.toBe(invitation.token);

    const described = await trpcQuery(admin, 'invitations.describe', { token: invitation.token });
    expect(described.data).toEqual({
      workspaceName: 'Acme',
      email: 'member@example.com',
      role: 'member',
      accountExists: false,
      expiresAt: invitation.expiresAt,
    });
    const short = await trpcMutate(admin, 'invitations.accept', { token: invitation.token, password: 'short' });
    expect(short.error?.message).toMatch(/^password: /);
    const accepted = await trpcMutate(admin, 'invitations.accept', {
      token: invitation.token,
      password: PASSWORD,
      name: 'Mia',
    });
    expect(accepted.data).toEqual({ workspaceId });
    const cookie = sessionCookieOf(accepted.headers)!;
    const me = await trpcQuery(admin, 'session.me', undefined, { cookie });
    expect(me.data).toMatchObject({
      user: { email: 'member@example.com', name: 'Mia' },
      isOperator: false,
      workspaces: [{ id: workspaceId, name: 'Acme', role: 'member' }],
    });

    const reused = await trpcMutate(admin, 'invitations.accept', {
      token: invitation.token,
      password: 'someone elses password',
    });
    expect([reused.status, reused.error?.data.avtrzCode]).toEqual([404, 'invitation_not_found']);
    expect((await trpcQuery(admin, 'invitations.describe', { token: invitation.token })).status).toBe(404);
    await signIn(admin, 'member@example.com', PASSWORD);
  });

  test('an expired link is refused', async () => {
    const invitation = await invite('late@example.com');
    await database.db
      .updateTable('invitations')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', invitation.id)
      .execute();
    const accepted = await trpcMutate(admin, 'invitations.accept', { token: invitation.token, password: PASSWORD });
    expect([accepted.status, accepted.error?.data.avtrzCode]).toEqual([404, 'invitation_expired']);
    expect(
      await database.db.selectFrom('auth_user').select('id').where('email', '=', 'late@example.com').execute(),
    ).toEqual([]);
  });

  test('a revoked link is refused, and open invitations are listed for owners', async () => {
    const invitation = await invite('maybe@example.com');
    const listed = await trpcQuery(admin, 'invitations.list', { workspaceId }, asOwner());
    expect(listed.data.map((i: { email: string }) => i.email)).toContain('maybe@example.com');
    expect(listed.text).not.toContain(invitation.token);
    await trpcMutate(admin, 'invitations.revoke', { workspaceId, id: invitation.id }, asOwner());
    const accepted = await trpcMutate(admin, 'invitations.accept', { token: invitation.token, password: PASSWORD });
    expect(accepted.status).toBe(404);
    const after = await trpcQuery(admin, 'invitations.list', { workspaceId }, asOwner());
    expect(after.data.map((i: { email: string }) => i.email)).not.toContain('maybe@example.com');
  });

  test('a person with an account joins with it: signed out they are asked to sign in, signed in they join', async () => {
    const other = await database.db
      .insertInto('workspaces')
      .values({ name: 'Other' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto('memberships')
      .values({ workspace_id: other.id, user_id: owner.userId, role: 'owner' })
      .execute();
    const created = await trpcMutate(
      admin,
      'invitations.create',
      { workspaceId: other.id, email: 'member@example.com', role: 'member' },
      asOwner(),
    );
    const token = tokenOfInvitationUrl(created.data.url);
    expect((await trpcQuery(admin, 'invitations.describe', { token })).data.accountExists).toBe(true);
    const anonymous = await trpcMutate(admin, 'invitations.accept', { token, password: 'trying to take it over' });
    expect([anonymous.status, anonymous.error?.data.avtrzCode]).toEqual([401, 'sign_in_required']);
    await signIn(admin, 'member@example.com', PASSWORD); // the password was not changed
    const cookie = await signIn(admin, 'member@example.com', PASSWORD);
    const joined = await trpcMutate(admin, 'invitations.accept', { token }, { cookie });
    expect(joined.data).toEqual({ workspaceId: other.id });
    const me = await trpcQuery(admin, 'session.me', undefined, { cookie });
    expect(me.data.workspaces.map((w: { name: string }) => w.name)).toEqual(['Acme', 'Other']);
  });
});

describe('an invitation opened while signed in', () => {
  test('joins the signed-in account, whatever email the link was for, and never lowers a role', async () => {
    const invitation = await invite('someone-else@example.com', 'member');
    const joined = await trpcMutate(admin, 'invitations.accept', { token: invitation.token }, asOwner());
    expect(joined.data).toEqual({ workspaceId });
    const me = await trpcQuery(admin, 'session.me', undefined, asOwner());
    expect(me.data.workspaces.find((w: { id: string }) => w.id === workspaceId).role).toBe('owner');
    expect(
      await database.db.selectFrom('auth_user').select('id').where('email', '=', 'someone-else@example.com').execute(),
    ).toEqual([]);
    const again = await trpcMutate(admin, 'invitations.accept', { token: invitation.token }, asOwner());
    expect(again.status).toBe(404);
  });
});

describe('roles', () => {
  test('members manage keys but not people; owners manage people', async () => {
    const member = await inviteAndJoin(admin, owner, 'keys@example.com');
    const asMember = { cookie: member.cookie };
    const key = await trpcMutate(admin, 'apiKeys.create', { workspaceId, type: 'publishable' }, asMember);
    expect(key.status).toBe(200);
    const members = await trpcQuery(admin, 'members.list', { workspaceId }, asMember);
    expect(members.status).toBe(200);
    const memberId = members.data.find((m: { email: string }) => m.email === 'keys@example.com').userId;
    for (const [path, input] of [
      ['invitations.create', { workspaceId, email: 'x@example.com' }],
      ['members.updateRole', { workspaceId, userId: memberId, role: 'owner' }],
      ['members.remove', { workspaceId, userId: owner.userId }],
    ] as const) {
      const refused = await trpcMutate(admin, path, input, asMember);
      expect([path, refused.status, refused.error?.data.avtrzCode]).toEqual([path, 403, 'owner_required']);
    }
    expect((await trpcQuery(admin, 'invitations.list', { workspaceId }, asMember)).status).toBe(403);

    const promoted = await trpcMutate(
      admin,
      'members.updateRole',
      { workspaceId, userId: memberId, role: 'owner' },
      asOwner(),
    );
    expect(promoted.data).toEqual({ userId: memberId, role: 'owner' });
    expect((await trpcQuery(admin, 'invitations.list', { workspaceId }, asMember)).status).toBe(200);
    await trpcMutate(admin, 'members.updateRole', { workspaceId, userId: memberId, role: 'member' }, asOwner());
  });

  test('a workspace never loses its last owner', async () => {
    const demote = await trpcMutate(
      admin,
      'members.updateRole',
      { workspaceId, userId: owner.userId, role: 'member' },
      asOwner(),
    );
    expect([demote.status, demote.error?.data.avtrzCode]).toEqual([409, 'last_owner']);
    const remove = await trpcMutate(admin, 'members.remove', { workspaceId, userId: owner.userId }, asOwner());
    expect([remove.status, remove.error?.data.avtrzCode]).toEqual([409, 'last_owner']);
    const me = await trpcQuery(admin, 'session.me', undefined, asOwner());
    expect(me.data.workspaces.find((w: { id: string }) => w.id === workspaceId).role).toBe('owner');
  });

  test('a removed member is refused at once', async () => {
    const gone = await inviteAndJoin(admin, owner, 'gone@example.com');
    const members = await trpcQuery(admin, 'members.list', { workspaceId }, asOwner());
    const goneId = members.data.find((m: { email: string }) => m.email === 'gone@example.com').userId;
    expect((await trpcQuery(admin, 'apiKeys.list', { workspaceId }, { cookie: gone.cookie })).status).toBe(200);
    const removed = await trpcMutate(admin, 'members.remove', { workspaceId, userId: goneId }, asOwner());
    expect(removed.status).toBe(200);
    const after = await trpcQuery(admin, 'apiKeys.list', { workspaceId }, { cookie: gone.cookie });
    expect([after.status, after.error?.data.avtrzCode]).toEqual([404, 'workspace_not_found']);
    const unknown = await trpcMutate(admin, 'members.remove', { workspaceId, userId: goneId }, asOwner());
    expect([unknown.status, unknown.error?.data.avtrzCode]).toEqual([404, 'member_not_found']);
  });
});
