import type { Db } from '@avtrz/db/client';
import type { WorkspaceRow } from '@avtrz/db/schema';
import { DomainError } from '@avtrz/shared/errors';
import { getWorkspace } from '../services/workspaces.service.ts';

/** Who is calling the admin API. */
export type Actor =
  /** A secret key: acts on its own workspace, and only on it. */
  | { readonly kind: 'key'; readonly keyId: string; readonly workspaceId: string }
  /** The installation's operator; `workspaceId` is the raw x-avtrz-workspace header, if sent. */
  | { readonly kind: 'operator'; readonly workspaceId: string | undefined };

export function requireOperator(actor: Actor): void {
  if (actor.kind !== 'operator') throw new DomainError('operator_required');
}

/**
 * The workspace a workspace-scoped operation acts on: a key's own, or for the operator the one named by
 * the x-avtrz-workspace header (refused with a clear error when missing or unknown).
 */
export async function actingWorkspace(db: Db, actor: Actor): Promise<WorkspaceRow> {
  if (actor.kind === 'key') return getWorkspace(db, actor.workspaceId);
  if (actor.workspaceId === undefined) throw new DomainError('workspace_required');
  return getWorkspace(db, actor.workspaceId);
}

/** Only the id, when the row itself is not needed (a key's workspace is known without a query). */
export async function actingWorkspaceId(db: Db, actor: Actor): Promise<string> {
  return actor.kind === 'key' ? actor.workspaceId : (await actingWorkspace(db, actor)).id;
}
