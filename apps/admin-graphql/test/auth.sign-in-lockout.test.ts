import { useTestDatabase } from '@avtrz/db/testing';
import { beforeAll, describe, expect, test } from 'vitest';
import { EMAIL_POLICY, ADDRESS_POLICY } from '../src/auth/sign-in-lockout.ts';
import { OPERATOR_TOKEN, useAdminServer } from './support/admin-server.ts';
import { PASSWORD, setUpFirstAccount } from './support/console-session.ts';
import { postFrom } from './support/from-address.ts';

// Failed sign-ins per email and per client address: free at first, then locked for a while (429 + Retry-After).
const database = useTestDatabase();
const admin = useAdminServer(database);
const behindProxy = useAdminServer(database, { TRUSTED_PROXY_HOPS: '1' });

beforeAll(async () => {
  await setUpFirstAccount(admin, { email: 'owner@example.com' });
  await database.db
    .insertInto('auth_user')
    .values({ email: 'victim@example.com', name: 'Victim', email_verified: false })
    .execute();
});

function signInFrom(address: string, email: string, password: string, headers: Record<string, string> = {}) {
  return postFrom(
    address,
    `${admin.url}/api/auth/sign-in/email`,
    { email, password },
    { origin: admin.url, ...headers },
  );
}

describe('sign-in lockout', () => {
  test('per email: after the free failures the email is locked, even with the right password and from elsewhere', async () => {
    for (let i = 0; i < EMAIL_POLICY.freeFailures; i++) {
      expect((await signInFrom('127.0.0.2', 'owner@example.com', `wrong password ${i}`)).status).toBe(401);
    }
    // One more failure starts the lock; the next attempt is refused before the password is looked at.
    expect((await signInFrom('127.0.0.2', 'owner@example.com', 'wrong password again')).status).toBe(401);
    const locked = await signInFrom('127.0.0.3', 'OWNER@example.com', PASSWORD);
    expect(locked.status).toBe(429);
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(EMAIL_POLICY.baseLockSeconds);
    expect(JSON.parse(locked.body)).toEqual({
      code: 'TOO_MANY_ATTEMPTS',
      message: 'Too many failed sign-ins; try again later.',
    });
    // Another person signing in from the same address is not affected.
    expect((await signInFrom('127.0.0.2', 'nobody-else@example.com', PASSWORD)).status).toBe(401);
  });

  test('when the lock ends the right password works, and a success clears the count', async () => {
    await database.db
      .updateTable('sign_in_failures')
      .set({ locked_until: new Date(Date.now() - 1) })
      .execute();
    expect((await signInFrom('127.0.0.3', 'owner@example.com', PASSWORD)).status).toBe(200);
    expect((await signInFrom('127.0.0.3', 'owner@example.com', 'one wrong try')).status).toBe(401);
    expect((await signInFrom('127.0.0.3', 'owner@example.com', PASSWORD)).status).toBe(200);
  });

  test('locks double with each further failure', async () => {
    const email = 'victim@example.com';
    for (let i = 0; i <= EMAIL_POLICY.freeFailures; i++) await signInFrom('127.0.0.4', email, `guess ${i}`);
    const first = await database.db
      .selectFrom('sign_in_failures')
      .selectAll()
      .where('subject', 'like', 'email:%')
      .where('failures', '=', EMAIL_POLICY.freeFailures + 1)
      .executeTakeFirstOrThrow();
    await database.db
      .updateTable('sign_in_failures')
      .set({ locked_until: null })
      .where('subject', '=', first.subject)
      .execute();
    await signInFrom('127.0.0.4', email, 'another guess');
    const second = await database.db
      .selectFrom('sign_in_failures')
      .selectAll()
      .where('subject', '=', first.subject)
      .executeTakeFirstOrThrow();
    const seconds = (second.locked_until!.getTime() - Date.now()) / 1000;
    expect(seconds).toBeGreaterThan(EMAIL_POLICY.baseLockSeconds * 2 - 5);
    expect(seconds).toBeLessThanOrEqual(EMAIL_POLICY.baseLockSeconds * 2);
    // The table names no one: emails are kept as hashes.
    const subjects = (await database.db.selectFrom('sign_in_failures').select('subject').execute()).map(
      (r) => r.subject,
    );
    expect(subjects.join(' ')).not.toMatch(/@/);
  });

  test('per address: spraying many emails from one address locks the address, not the others', async () => {
    for (let i = 0; i <= ADDRESS_POLICY.freeFailures; i++) {
      expect((await signInFrom('127.0.0.5', `person${i}@example.com`, 'password123456')).status).toBe(401);
    }
    const locked = await signInFrom('127.0.0.5', 'fresh@example.com', 'password123456');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // A forged X-Forwarded-For does not get the sprayer a new address.
    expect((await signInFrom('127.0.0.5', 'fresh@example.com', 'x', { 'x-forwarded-for': '203.0.113.9' })).status).toBe(
      429,
    );
    // Someone at another address signs in as usual.
    expect((await signInFrom('127.0.0.6', 'owner@example.com', PASSWORD)).status).toBe(200);
  });

  test('behind a trusted proxy, the address is the one the proxy appended to X-Forwarded-For', async () => {
    const url = `${behindProxy.url}/api/auth/sign-in/email`;
    let attempt = 0;
    const from = (client: string, forged = '') =>
      postFrom(
        '127.0.0.8',
        url,
        { email: `someone-${attempt++}@example.com`, password: 'password123456' },
        { origin: behindProxy.url, 'x-forwarded-for': `${forged}${client}` },
      );
    for (let i = 0; i <= ADDRESS_POLICY.freeFailures; i++) expect((await from('198.51.100.7')).status).toBe(401);
    expect((await from('198.51.100.7')).status).toBe(429);
    // A forged entry in front of the proxy's does not change the address; another client is not affected.
    expect((await from('198.51.100.7', '192.0.2.1, ')).status).toBe(429);
    expect((await from('198.51.100.8')).status).toBe(401);
    const subjects = (await database.db.selectFrom('sign_in_failures').select('subject').execute()).map(
      (r) => r.subject,
    );
    expect(subjects).toContain('address:198.51.100.7');
    expect(subjects).not.toContain('address:192.0.2.1');
  });

  test('counters whose window and lock have passed are dropped at the next failure', async () => {
    const old = new Date(Date.now() - 3600_000);
    await database.db
      .insertInto('sign_in_failures')
      .values([
        { subject: 'email:stale', failures: 3, window_started_at: old, locked_until: null },
        { subject: 'email:stale-lock-over', failures: 9, window_started_at: old, locked_until: old },
        {
          subject: 'email:still-locked',
          failures: 9,
          window_started_at: old,
          locked_until: new Date(Date.now() + 600_000),
        },
      ])
      .execute();
    await signInFrom('127.0.0.9', 'owner@example.com', 'wrong once more');
    const subjects = (await database.db.selectFrom('sign_in_failures').select('subject').execute()).map(
      (r) => r.subject,
    );
    expect(subjects).not.toContain('email:stale');
    expect(subjects).not.toContain('email:stale-lock-over');
    expect(subjects).toContain('email:still-locked');
    expect(subjects).toContain('address:127.0.0.9');
  });

  test('wrong operator tokens at /setup count against the address too', async () => {
    await database.db.deleteFrom('auth_user').execute(); // setup is open again for this test
    const attempt = (token: string) =>
      postFrom(
        '127.0.0.7',
        `${admin.url}/trpc/setup.create`,
        { operatorToken: token, email: 'op@example.com', password: PASSWORD, workspaceName: 'W' },
        { origin: admin.url },
      );
    for (let i = 0; i <= ADDRESS_POLICY.freeFailures; i++)
      expect((await attempt(`op_guess-number-${i}`)).status).toBe(401);
    const locked = await attempt(OPERATOR_TOKEN);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(await database.db.selectFrom('auth_user').select('id').execute()).toEqual([]);
  });
});
