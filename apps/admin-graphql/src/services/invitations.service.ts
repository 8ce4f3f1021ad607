import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '@avtrz/db/client';
import { findUserByEmail, insertUserWithPassword, lockAccountCreation } from '@avtrz/db/queries/accounts.queries';
import {
  findInvitationByTokenHash,
  insertInvitation,
  type InvitationWithWorkspace,
  listOpenInvitations,
  markInvitationAccepted,
  revokeInvitationInWorkspace,
} from '@avtrz/db/queries/invitations.queries';
import { findMembership, insertMembership, updateMembershipRole } from '@avtrz/db/queries/memberships.queries';
import type { InvitationRow, MemberRole } from '@avtrz/db/schema';
import { DomainError } from '@avtrz/shared/errors';
import { invalidInput, isUuid } from './_invalid-input.ts';
import { checkPassword, normalizeEmail, personName } from './account-input.ts';
import type { PasswordHasher } from './setup.service.ts';
import { getWorkspace } from './workspaces.service.ts';

/**
 * Invitations: a single-use link, valid 7 days, that lets the invited person set a password (a new
 * account) or join with the account they are signed in with. Only the SHA-256 of the link's token is
 * stored, and tokens are found by that hash, so comparing them takes the same time whatever was sent.
 */

export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;
/** The console page that opens invitations; the token travels in the fragment, never to a server log. */
export const INVITATION_PATH = '/invite';

export interface CreatedInvitation {
  readonly invitation: InvitationRow;
  /** The link, shown to the inviter this once. */
  readonly url: string;
}

export async function createInvitation(
  db: Db,
  input: { workspaceId: string; email: string; role: MemberRole; invitedBy: string | null; consoleUrl: string },
  now: Date,
): Promise<CreatedInvitation> {
  const workspace = await getWorkspace(db, input.workspaceId);
  const email = normalizeEmail(input.email);
  const token = randomBytes(32).toString('base64url');
  const invitation = await insertInvitation(db, {
    workspaceId: workspace.id,
    email,
    role: input.role,
    tokenHash: hashToken(token),
    invitedBy: input.invitedBy,
    now,
    expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
  });
  return { invitation, url: `${input.consoleUrl}${INVITATION_PATH}#token=${token}` };
}

export async function openInvitations(db: Db, workspaceId: string, now: Date): Promise<InvitationRow[]> {
  return listOpenInvitations(db, workspaceId, now);
}

export async function revokeInvitation(db: Db, workspaceId: string, id: string, now: Date): Promise<InvitationRow> {
  const revoked = isUuid(id) ? await revokeInvitationInWorkspace(db, workspaceId, id, now) : undefined;
  if (!revoked) throw new DomainError('invitation_not_found', 'There is no invitation with this id in the workspace.');
  return revoked;
}

export interface InvitationDescription {
  readonly workspaceName: string;
  readonly email: string;
  readonly role: MemberRole;
  /** An account with the invited email exists: the person signs in to join. */
  readonly accountExists: boolean;
  readonly expiresAt: Date;
}

/** What the link's page shows, for whoever holds the token; a used, revoked or expired link is refused. */
export async function describeInvitation(db: Db, token: string, now: Date): Promise<InvitationDescription> {
  const invitation = await usableInvitation(db, token, now, false);
  return {
    workspaceName: invitation.workspace_name,
    email: invitation.email,
    role: invitation.role,
    accountExists: (await findUserByEmail(db, invitation.email)) !== undefined,
    expiresAt: invitation.expires_at,
  };
}

export interface AcceptInput {
  readonly token: string;
  /** For a new account. */
  readonly password?: string | null | undefined;
  readonly name?: string | null | undefined;
  /** The signed-in person, who joins with their own account. */
  readonly userId?: string | undefined;
}

export interface AcceptedInvitation {
  readonly workspaceId: string;
  readonly userId: string;
  /** The email of a newly made account (to sign it in); undefined when an existing account joined. */
  readonly newAccountEmail: string | undefined;
}

/** Accepts the invitation once: a second use of the same link is refused. */
export async function acceptInvitation(
  db: Db,
  hashPassword: PasswordHasher,
  input: AcceptInput,
  now: Date,
): Promise<AcceptedInvitation> {
  if (input.userId !== undefined) return joinWithAccount(db, input.token, input.userId, now);
  // Look the invitation up before the slow hash, so a bad link is refused at once.
  const preview = await usableInvitation(db, input.token, now, false);
  if (await findUserByEmail(db, preview.email)) throw new DomainError('sign_in_required');
  if (input.password === undefined || input.password === null) {
    throw invalidInput('password', 'choose a password for the new account');
  }
  const password = checkPassword(input.password);
  const name = personName(input.name, preview.email);
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    await lockAccountCreation(trx);
    const invitation = await usableInvitation(trx, input.token, now, true);
    if (await findUserByEmail(trx, invitation.email)) throw new DomainError('sign_in_required');
    const user = await insertUserWithPassword(trx, {
      email: invitation.email,
      name,
      isOperator: false,
      passwordHash,
      now,
    });
    await insertMembership(trx, { workspaceId: invitation.workspace_id, userId: user.id, role: invitation.role });
    await markInvitationAccepted(trx, invitation.id, user.id, now);
    return { workspaceId: invitation.workspace_id, userId: user.id, newAccountEmail: user.email };
  });
}

async function joinWithAccount(db: Db, token: string, userId: string, now: Date): Promise<AcceptedInvitation> {
  return db.transaction().execute(async (trx) => {
    const invitation = await usableInvitation(trx, token, now, true);
    const existing = await findMembership(trx, invitation.workspace_id, userId);
    if (!existing) {
      await insertMembership(trx, { workspaceId: invitation.workspace_id, userId, role: invitation.role });
    } else if (existing.role === 'member' && invitation.role === 'owner') {
      // An invitation never lowers a role.
      await updateMembershipRole(trx, invitation.workspace_id, userId, 'owner');
    }
    await markInvitationAccepted(trx, invitation.id, userId, now);
    return { workspaceId: invitation.workspace_id, userId, newAccountEmail: undefined };
  });
}

async function usableInvitation(
  db: Db,
  token: string,
  now: Date,
  forUpdate: boolean,
): Promise<InvitationWithWorkspace> {
  const invitation = await findInvitationByTokenHash(db, hashToken(token), { forUpdate });
  if (!invitation || invitation.accepted_at || invitation.revoked_at) throw new DomainError('invitation_not_found');
  if (invitation.expires_at <= now) throw new DomainError('invitation_expired');
  return invitation;
}

function hashToken(token: string): Uint8Array {
  return createHash('sha256').update(token).digest();
}
