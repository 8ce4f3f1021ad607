import { createTestDatabase, useTestDatabase } from '@avtrz/db/testing';
import { describe, expect, test } from 'vitest';
import { startAdminServer } from '../src/server.ts';
import { OPERATOR_TOKEN, silentLogger, testConfig, useAdminServer } from './support/admin-server.ts';
import {
  PASSWORD,
  sessionCookieOf,
  setUpFirstAccount,
  signIn,
  trpcMutate,
  trpcQuery,
} from './support/console-session.ts';

// First run: /setup makes the first person (operator, owner of a new workspace) once, and only with the operator token.
const database = useTestDatabase();
const admin = useAdminServer(database);

describe('first-run setup', () => {
  test('is open while no account exists, and refuses a wrong operator token', async () => {
    expect((await trpcQuery(admin, 'setup.status', undefined)).data).toEqual({ open: true });
    const wrong = await trpcMutate(admin, 'setup.create', {
      operatorToken: 'op_not-the-token-at-all',
      email: 'mallory@example.com',
      password: PASSWORD,
      workspaceName: 'Mallory',
    });
    expect([wrong.status, wrong.error?.data.avtrzCode]).toEqual([401, 'invalid_operator_token']);
    expect(sessionCookieOf(wrong.headers)).toBeUndefined();
    const short = await trpcMutate(admin, 'setup.create', {
      operatorToken: OPERATOR_TOKEN,
      email: 'owner@example.com',
      password: 'too short',
      workspaceName: 'Acme',
    });
    expect(short.status).toBe(400);
    expect(short.error?.message).toMatch(/^password: use 12 to 128 characters/);
    expect((await trpcQuery(admin, 'setup.status', undefined)).data).toEqual({ open: true });
  });

  test('creates the operator and owner of a new workspace, signed in at once', async () => {
    const person = await setUpFirstAccount(admin, { email: ' Owner@Example.com ', workspaceName: 'Acme' });
    const me = await trpcQuery(admin, 'session.me', undefined, { cookie: person.cookie });
    expect(me.data).toEqual({
      user: { id: person.userId, email: 'owner@example.com', name: 'owner' },
      isOperator: true,
      workspaces: [{ id: person.workspaceId, name: 'Acme', role: 'owner' }],
    });
    // The password is stored only as Better Auth's scrypt hash.
    const account = await database.db
      .selectFrom('auth_account')
      .select(['password', 'provider_id'])
      .where('user_id', '=', person.userId)
      .executeTakeFirstOrThrow();
    expect(account.provider_id).toBe('credential');
    expect(account.password).not.toContain(PASSWORD);
    expect(account.password).toMatch(/^[0-9a-f]{32}:[0-9a-f]+$/);
    // The same person signs in again through Better Auth's own endpoint.
    const cookie = await signIn(admin, 'owner@example.com', PASSWORD);
    expect((await trpcQuery(admin, 'session.me', undefined, { cookie })).data?.user.id).toBe(person.userId);
  });

  test('is closed once an account exists, even with the operator token', async () => {
    expect((await trpcQuery(admin, 'setup.status', undefined)).data).toEqual({ open: false });
    const again = await trpcMutate(admin, 'setup.create', {
      operatorToken: OPERATOR_TOKEN,
      email: 'second@example.com',
      password: PASSWORD,
      workspaceName: 'Second',
    });
    expect([again.status, again.error?.data.avtrzCode]).toEqual([404, 'setup_closed']);
    const people = await database.db.selectFrom('auth_user').select('email').execute();
    expect(people).toEqual([{ email: 'owner@example.com' }]);
  });
});

describe('the /setup page', () => {
  test('is answered 404 once an account exists (it was served before)', async () => {
    const fresh = await createTestDatabase();
    const server = await startAdminServer({ config: testConfig(), database: fresh, logger: silentLogger() }, 0);
    try {
      const before = await fetch(`${server.url}/setup`);
      expect(before.status).not.toBe(404);
      await fresh.db
        .insertInto('auth_user')
        .values({ email: 'someone@example.com', name: 'S', email_verified: false })
        .execute();
      const after = await fetch(`${server.url}/setup`);
      expect(after.status).toBe(404);
      expect(await after.json()).toMatchObject({ error: { code: 'setup_closed' } });
      expect((await fetch(`${server.url}/`)).status).not.toBe(404);
    } finally {
      await server.close();
      await fresh.close();
    }
  });
});

describe('two setups at once', () => {
  test('make one account: the other is told setup is closed', async () => {
    const fresh = await createTestDatabase();
    const server = await startAdminServer({ config: testConfig(), database: fresh, logger: silentLogger() }, 0);
    try {
      const client = { url: server.url, graphql: () => Promise.reject(new Error('unused')) };
      const attempt = (email: string) =>
        trpcMutate(client, 'setup.create', {
          operatorToken: OPERATOR_TOKEN,
          email,
          password: PASSWORD,
          workspaceName: email,
        });
      const results = await Promise.all([
        attempt('first@example.com'),
        attempt('second@example.com'),
        attempt('third@example.com'),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 404, 404]);
      expect(await fresh.db.selectFrom('auth_user').select('email').execute()).toHaveLength(1);
      expect(await fresh.db.selectFrom('workspaces').select('id').execute()).toHaveLength(1);
    } finally {
      await server.close();
      await fresh.close();
    }
  });
});
