import { Writable } from 'node:stream';
import { useTestDatabase } from '@avtrz/db/testing';
import type { RunningServer } from '@avtrz/shared/http/serve';
import pino from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startAdminServer } from '../src/server.ts';
import { type AdminClient, postGraphql, testConfig } from './support/admin-server.ts';
import {
  authPost,
  PASSWORD,
  sessionCookieOf,
  setUpFirstAccount,
  signIn,
  tokenOfInvitationUrl,
  trpcMutate,
  trpcQuery,
} from './support/console-session.ts';

// Every log line the admin server writes, at the most verbose level, while people set up, sign in, invite
// and join: none holds a password, a hash, a session token or an invitation token.
const database = useTestDatabase();
const logText: string[] = [];
let server: RunningServer;
const admin: AdminClient = {
  get url() {
    return server.url;
  },
  graphql: (query, variables, headers) => postGraphql(server.url, query, variables, headers),
};

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logText.push(String(chunk));
      done();
    },
  });
  server = await startAdminServer({ config: testConfig(), database, logger: pino({ level: 'trace' }, sink) }, 0);
});

afterAll(async () => {
  await server.close();
});

test('no log line holds a password, a password hash, a session token or an invitation token', async () => {
  const owner = await setUpFirstAccount(admin, { email: 'owner@example.com' });
  await authPost(admin, '/sign-in/email', { email: 'owner@example.com', password: 'wrong password here' });
  const cookie = await signIn(admin, 'owner@example.com', PASSWORD);
  const invitation = await trpcMutate(
    admin,
    'invitations.create',
    { workspaceId: owner.workspaceId, email: 'new@example.com' },
    { cookie },
  );
  const token = tokenOfInvitationUrl(invitation.data.url);
  await trpcQuery(admin, 'invitations.describe', { token });
  const accepted = await trpcMutate(admin, 'invitations.accept', { token, password: 'the newcomer passphrase' });
  await trpcMutate(admin, 'invitations.accept', { token, password: 'the newcomer passphrase' }); // refused
  await authPost(
    admin,
    '/change-password',
    { currentPassword: PASSWORD, newPassword: 'a changed passphrase!' },
    { cookie },
  );
  await authPost(admin, '/sign-out', {}, { cookie: sessionCookieOf(accepted.headers) });

  const hashes = await database.db.selectFrom('auth_account').select('password').execute();
  const sessions = await database.db.selectFrom('auth_session').select('token').execute();
  const secrets = [
    PASSWORD,
    'wrong password here',
    'the newcomer passphrase',
    'a changed passphrase!',
    token,
    ...[cookie, owner.cookie].map((c) => decodeURIComponent(c.split('=')[1]!).split('.')[0]!),
    ...hashes.map((h) => h.password!),
    ...sessions.map((s) => s.token),
  ];
  const logs = logText.join('');
  expect(logs.length).toBeGreaterThan(0); // the requests were logged
  for (const secret of secrets) expect(logs).not.toContain(secret);
  expect(logs).not.toMatch(/owner@example\.com|new@example\.com/);
});
