import type { Db } from '@avtrz/db/client';
import {
  deleteMembership,
  findMembership,
  listMembers,
  lockMemberships,
  type Member,
  updateMembershipRole,
} from '@avtrz/db/queries/memberships.queries';
import type { MemberRole } from '@avtrz/db/schema';
import { DomainError } from '@avtrz/shared/errors';
import { isUuid } from './_invalid-input.ts';

/**
 * The one rule for what a person may touch: a workspace they are a member of, named in the call.
 * Anything else — another workspace's id, a made-up id, a workspace since left — is "not found", the
 * same answer as for a workspace that never existed, so an id reveals nothing.
 */

export interface WorkspaceAccess {
  readonly workspaceId: string;
  readonly userId: string;
  readonly role: MemberRole;
}

export async function workspaceAccess(db: Db, userId: string, workspaceId: string): Promise<WorkspaceAccess> {
  const membership = isUuid(workspaceId) ? await findMembership(db, workspaceId, userId) : undefined;
  if (!membership) throw new DomainError('workspace_not_found');
  return { workspaceId, userId, role: membership.role };
}

/** Owners manage members and invitations; members manage keys. */
export function requireOwner(access: WorkspaceAccess): void {
  if (access.role !== 'owner') throw new DomainError('owner_required');
}

export async function workspaceMembers(db: Db, workspaceId: string): Promise<Member[]> {
  return listMembers(db, workspaceId);
}

/** Changes a member's role; the last owner cannot become a member. */
export async function changeMemberRole(db: Db, workspaceId: string, userId: string, role: MemberRole): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const target = await lockedTarget(trx, workspaceId, userId);
    if (target.role === 'owner' && role !== 'owner' && target.owners === 1) throw new DomainError('last_owner');
    await updateMembershipRole(trx, workspaceId, userId, role);
  });
}

/** Removes a person from the workspace (their next call to it is refused); never the last owner. */
export async function removeMember(db: Db, workspaceId: string, userId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const target = await lockedTarget(trx, workspaceId, userId);
    if (target.role === 'owner' && target.owners === 1) throw new DomainError('last_owner');
    await deleteMembership(trx, workspaceId, userId);
  });
}

/** Locks the workspace's memberships (so owner counts stay true until commit) and finds the target. */
async function lockedTarget(
  trx: Db,
  workspaceId: string,
  userId: string,
): Promise<{ role: MemberRole; owners: number }> {
  const memberships = await lockMemberships(trx, workspaceId);
  const target = isUuid(userId) ? memberships.find((m) => m.user_id === userId) : undefined;
  if (!target) throw new DomainError('member_not_found');
  return { role: target.role, owners: memberships.filter((m) => m.role === 'owner').length };
}
