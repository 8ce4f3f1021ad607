import { sql } from 'kysely';
import type { Db } from '../client.ts';
import type { AuthUserRow } from '../schema/database.ts';

/** People (Better Auth's auth_user and auth_account rows) as the product reads and makes them. */

/** True once any person exists: /setup is then closed for good. */
export async function anyUserExists(db: Db): Promise<boolean> {
  const row = await db.selectFrom('auth_user').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function findUserById(db: Db, id: string): Promise<AuthUserRow | undefined> {
  return db.selectFrom('auth_user').selectAll().where('id', '=', id).executeTakeFirst();
}

/** `email` already lower-case. */
export async function findUserByEmail(db: Db, email: string): Promise<AuthUserRow | undefined> {
  return db.selectFrom('auth_user').selectAll().where('email', '=', email).executeTakeFirst();
}

/**
 * Serialises the transactions that create people (setup, accepted invitations), so that "no account
 * exists yet" and "no account has this email" stay true until the transaction that checked commits.
 */
export async function lockAccountCreation(trx: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('avtrz.account-creation'))`.execute(trx);
}

export interface NewUser {
  readonly email: string;
  readonly name: string;
  readonly isOperator: boolean;
  /** Better Auth's hash of the password (its own hasher, so that its sign-in verifies it). */
  readonly passwordHash: string;
  readonly now: Date;
}

/** A person with an email-and-password credential, the way Better Auth's sign-up stores one. */
export async function insertUserWithPassword(trx: Db, user: NewUser): Promise<AuthUserRow> {
  const row = await trx
    .insertInto('auth_user')
    .values({
      email: user.email,
      name: user.name,
      email_verified: false,
      is_operator: user.isOperator,
      created_at: user.now,
      updated_at: user.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('auth_account')
    .values({
      account_id: row.id,
      provider_id: 'credential',
      user_id: row.id,
      password: user.passwordHash,
      created_at: user.now,
      updated_at: user.now,
    })
    .execute();
  return row;
}

/** Ends every session of a person (used by tests and by removing access at once). */
export async function deleteUserSessions(db: Db, userId: string): Promise<number> {
  const result = await db.deleteFrom('auth_session').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
