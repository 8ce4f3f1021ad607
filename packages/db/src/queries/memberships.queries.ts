import type { Db } from '../client.ts';
import type { MemberRole, MembershipRow } from '../schema/database.ts';

/** Who belongs to which workspace. Every query names both the workspace and the person. */

export async function findMembership(db: Db, workspaceId: string, userId: string): Promise<MembershipRow | undefined> {
  return db
    .selectFrom('memberships')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export interface UserWorkspace {
  readonly id: string;
  readonly name: string;
  readonly role: MemberRole;
}

/** The workspaces a person belongs to, by name. */
export async function listUserWorkspaces(db: Db, userId: string): Promise<UserWorkspace[]> {
  return db
    .selectFrom('memberships')
    .innerJoin('workspaces', 'workspaces.id', 'memberships.workspace_id')
    .select(['workspaces.id', 'workspaces.name', 'memberships.role'])
    .where('memberships.user_id', '=', userId)
    .orderBy('workspaces.name')
    .orderBy('workspaces.id')
    .execute();
}

export interface Member {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly role: MemberRole;
  readonly joinedAt: Date;
}

export async function listMembers(db: Db, workspaceId: string): Promise<Member[]> {
  return db
    .selectFrom('memberships')
    .innerJoin('auth_user', 'auth_user.id', 'memberships.user_id')
    .select([
      'auth_user.id as userId',
      'auth_user.email',
      'auth_user.name',
      'memberships.role',
      'memberships.created_at as joinedAt',
    ])
    .where('memberships.workspace_id', '=', workspaceId)
    .orderBy('memberships.created_at')
    .orderBy('auth_user.email')
    .execute();
}

/** Adds a person; one already a member keeps the role they have. Returns the membership as it stands. */
export async function insertMembership(
  trx: Db,
  values: { workspaceId: string; userId: string; role: MemberRole },
): Promise<MembershipRow> {
  await trx
    .insertInto('memberships')
    .values({ workspace_id: values.workspaceId, user_id: values.userId, role: values.role })
    .onConflict((oc) => oc.columns(['workspace_id', 'user_id']).doNothing())
    .execute();
  return trx
    .selectFrom('memberships')
    .selectAll()
    .where('workspace_id', '=', values.workspaceId)
    .where('user_id', '=', values.userId)
    .executeTakeFirstOrThrow();
}

/**
 * Locks every membership row of the workspace (in a stable order), so that two changes to owners cannot
 * both see "another owner remains" and leave none. Returns the rows.
 */
export async function lockMemberships(trx: Db, workspaceId: string): Promise<MembershipRow[]> {
  return trx
    .selectFrom('memberships')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('user_id')
    .forUpdate()
    .execute();
}

export async function updateMembershipRole(
  trx: Db,
  workspaceId: string,
  userId: string,
  role: MemberRole,
): Promise<MembershipRow | undefined> {
  return trx
    .updateTable('memberships')
    .set({ role })
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteMembership(trx: Db, workspaceId: string, userId: string): Promise<boolean> {
  const result = await trx
    .deleteFrom('memberships')
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
