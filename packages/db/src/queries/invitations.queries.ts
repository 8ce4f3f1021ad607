import type { Db } from '../client.ts';
import type { InvitationRow, MemberRole } from '../schema/database.ts';

/** Invitation links. Looked up by the SHA-256 of their token; listed and revoked per workspace. */

export async function insertInvitation(
  db: Db,
  values: {
    workspaceId: string;
    email: string;
    role: MemberRole;
    tokenHash: Uint8Array;
    invitedBy: string | null;
    now: Date;
    expiresAt: Date;
  },
): Promise<InvitationRow> {
  return db
    .insertInto('invitations')
    .values({
      workspace_id: values.workspaceId,
      email: values.email,
      role: values.role,
      token_hash: values.tokenHash,
      invited_by: values.invitedBy,
      created_at: values.now,
      expires_at: values.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface InvitationWithWorkspace extends InvitationRow {
  readonly workspace_name: string;
}

/** The invitation behind a token, with its workspace's name; `forUpdate` locks it (to accept it once). */
export async function findInvitationByTokenHash(
  db: Db,
  tokenHash: Uint8Array,
  options: { forUpdate?: boolean } = {},
): Promise<InvitationWithWorkspace | undefined> {
  let query = db
    .selectFrom('invitations')
    .innerJoin('workspaces', 'workspaces.id', 'invitations.workspace_id')
    .selectAll('invitations')
    .select('workspaces.name as workspace_name')
    .where('invitations.token_hash', '=', tokenHash);
  if (options.forUpdate) query = query.forUpdate('invitations');
  return query.executeTakeFirst();
}

/** Invitations not yet accepted, revoked or expired, newest first. */
export async function listOpenInvitations(db: Db, workspaceId: string, now: Date): Promise<InvitationRow[]> {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

export async function markInvitationAccepted(trx: Db, id: string, userId: string, now: Date): Promise<void> {
  await trx.updateTable('invitations').set({ accepted_at: now, accepted_by: userId }).where('id', '=', id).execute();
}

/** Revokes an open invitation of the workspace; undefined when there is none with this id there. */
export async function revokeInvitationInWorkspace(
  db: Db,
  workspaceId: string,
  id: string,
  now: Date,
): Promise<InvitationRow | undefined> {
  const existing = await db
    .selectFrom('invitations')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!existing || existing.revoked_at || existing.accepted_at) return existing;
  return db
    .updateTable('invitations')
    .set({ revoked_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}
