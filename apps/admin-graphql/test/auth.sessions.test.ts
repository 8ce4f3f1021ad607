import { useTestDatabase } from '@avtrz/db/testing';
import { beforeAll, describe, expect, test } from 'vitest';
import { useAdminServer } from './support/admin-server.ts';
import {
  authPost,
  PASSWORD,
  type SetUpPerson,
  sessionCookieOf,
  setUpFirstAccount,
  signIn,
  trpcQuery,
} from './support/console-session.ts';

// Sessions as a browser lives them: Better Auth's endpoints under /api/auth, the cookie, the tRPC router.
const database = useTestDatabase();
const admin = useAdminServer(database);
const secure = useAdminServer(database, { CONSOLE_URL: 'https://console.example.test' });

let owner: SetUpPerson;

beforeAll(async () => {
  owner = await setUpFirstAccount(admin, { email: 'owner@example.com' });
});

async function me(cookie: string) {
  return trpcQuery(admin, 'session.me', undefined, { cookie });
}

describe('signing in', () => {
  test('sets an HttpOnly, SameSite=Lax session cookie (not Secure over http)', async () => {
    const response = await authPost(admin, '/sign-in/email', { email: 'owner@example.com', password: PASSWORD });
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('better-auth.session_token='))!;
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).not.toMatch(/; Secure/i);
    expect(cookie).toMatch(/; Max-Age=604800/);
    expect((await me(sessionCookieOf(response.headers)!)).data?.user.email).toBe('owner@example.com');
  });

  test('a console on https gets a __Secure- cookie marked Secure', async () => {
    const response = await fetch(`${secure.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { origin: 'https://console.example.test', 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@example.com', password: PASSWORD }),
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie().find((c) => c.includes('session_token='))!;
    expect(cookie).toMatch(/^__Secure-better-auth\.session_token=/);
    expect(cookie).toMatch(/; Secure/i);
  });

  test('a wrong email and a wrong password get the same answer', async () => {
    const wrongPassword = await authPost(admin, '/sign-in/email', {
      email: 'owner@example.com',
      password: 'not the password!',
    });
    const wrongEmail = await authPost(admin, '/sign-in/email', { email: 'nobody@example.com', password: PASSWORD });
    expect(wrongPassword.status).toBe(401);
    expect(wrongEmail.status).toBe(401);
    expect(await wrongPassword.json()).toEqual(await wrongEmail.json());
    expect(sessionCookieOf(wrongPassword.headers)).toBeUndefined();
  });

  test('a body that is too large, or a sign-in that is not JSON, is refused without a 5xx', async () => {
    for (const path of ['sign-in/email', 'change-password']) {
      const huge = await fetch(`${admin.url}/api/auth/${path}`, {
        method: 'POST',
        headers: { origin: admin.url, 'content-type': 'application/json' },
        // A stream: no Content-Length to check up front.
        body: new Blob([JSON.stringify({ email: 'owner@example.com', password: 'x'.repeat(20_000) })]).stream(),
        duplex: 'half',
      } as RequestInit);
      expect([path, huge.status]).toEqual([path, 413]);
    }
    for (const body of ['not json', '[]', '{"email": 5}']) {
      const response = await fetch(`${admin.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { origin: admin.url, 'content-type': 'application/json' },
        body,
      });
      expect([body, response.status]).toEqual([body, 400]);
    }
  });

  test('there is no public sign-up', async () => {
    const response = await authPost(admin, '/sign-up/email', {
      email: 'new@example.com',
      password: PASSWORD,
      name: 'New',
    });
    expect(response.status).toBe(404);
    expect(
      await database.db.selectFrom('auth_user').select('email').where('email', '=', 'new@example.com').execute(),
    ).toEqual([]);
  });

  test('a sign-in from another origin is refused', async () => {
    const response = await authPost(
      admin,
      '/sign-in/email',
      { email: 'owner@example.com', password: PASSWORD },
      { origin: 'http://evil.example' },
    );
    expect(response.status).toBe(403);
    expect(sessionCookieOf(response.headers)).toBeUndefined();
  });
});

describe('ending sessions', () => {
  test('signing out ends the session on the server: the old cookie no longer works', async () => {
    const cookie = await signIn(admin, 'owner@example.com', PASSWORD);
    expect((await me(cookie)).status).toBe(200);
    const out = await authPost(admin, '/sign-out', {}, { cookie });
    expect(out.status).toBe(200);
    const token = decodeURIComponent(cookie.split('=')[1]!).split('.')[0]!;
    expect(await database.db.selectFrom('auth_session').select('id').where('token', '=', token).execute()).toEqual([]);
    // Replaying the cookie the browser was told to forget.
    expect((await me(cookie)).status).toBe(401);
  });

  test('a session used after a day is extended, and the console call renews the cookie', async () => {
    const cookie = await signIn(admin, 'owner@example.com', PASSWORD);
    const token = decodeURIComponent(cookie.split('=')[1]!).split('.')[0]!;
    const inADay = new Date(Date.now() + 86_400_000);
    await database.db.updateTable('auth_session').set({ expires_at: inADay }).where('token', '=', token).execute();
    const used = await me(cookie);
    expect(used.status).toBe(200);
    expect(used.headers.getSetCookie().some((c) => /better-auth\.session_token=.+Max-Age=604800/.test(c))).toBe(true);
    const row = await database.db
      .selectFrom('auth_session')
      .select('expires_at')
      .where('token', '=', token)
      .executeTakeFirstOrThrow();
    expect(row.expires_at.getTime()).toBeGreaterThan(inADay.getTime() + 5 * 86_400_000);
  });

  test('a session past its expiry is refused', async () => {
    const cookie = await signIn(admin, 'owner@example.com', PASSWORD);
    const token = decodeURIComponent(cookie.split('=')[1]!).split('.')[0]!;
    await database.db
      .updateTable('auth_session')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('token', '=', token)
      .execute();
    expect((await me(cookie)).status).toBe(401);
  });

  test('changing the password ends every other session, whatever the client asks', async () => {
    const laptop = await signIn(admin, 'owner@example.com', PASSWORD);
    const phone = await signIn(admin, 'owner@example.com', PASSWORD);
    const newPassword = 'an entirely new passphrase';
    const changed = await authPost(
      admin,
      '/change-password',
      { currentPassword: PASSWORD, newPassword, revokeOtherSessions: false },
      { cookie: laptop },
    );
    expect(changed.status).toBe(200);
    expect((await me(phone)).status).toBe(401);
    expect((await me(owner.cookie)).status).toBe(401);
    // The session that changed it carries on with its new cookie.
    const renewed = sessionCookieOf(changed.headers)!;
    expect((await me(renewed)).status).toBe(200);
    // Only the new password signs in now.
    expect((await authPost(admin, '/sign-in/email', { email: 'owner@example.com', password: PASSWORD })).status).toBe(
      401,
    );
    await signIn(admin, 'owner@example.com', newPassword);
  });

  test('a new password shorter than 12 characters is refused', async () => {
    const cookie = await signIn(admin, 'owner@example.com', 'an entirely new passphrase');
    const changed = await authPost(
      admin,
      '/change-password',
      { currentPassword: 'an entirely new passphrase', newPassword: 'short' },
      { cookie },
    );
    expect(changed.status).toBe(400);
    expect((await me(cookie)).status).toBe(200);
  });
});
