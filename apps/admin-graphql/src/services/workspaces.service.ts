import type { Db } from '@avtrz/db/client';
import { channels, notify } from '@avtrz/db/notify';
import {
  deleteWorkspaceById,
  findWorkspaceById,
  insertWorkspace,
  listWorkspaces,
  updateWorkspacePlan,
} from '@avtrz/db/queries/workspaces.queries';
import type { ApiKeyRow, WorkspaceRow } from '@avtrz/db/schema';
import { DomainError } from '@avtrz/shared/errors';
import { invalidInput, isUuid } from './_invalid-input.ts';
import { insertKey } from './api-keys.service.ts';
import { type PlanInput, validatePlan } from './plan-input.ts';

/** Workspaces and their plans: the operator's side of the admin API (and the CLI's bootstrap). */

export const FIRST_KEY_NAME = 'First secret key';
const MAX_NAME_LENGTH = 200;

export interface CreatedWorkspace {
  readonly workspace: WorkspaceRow;
  readonly apiKey: ApiKeyRow;
  /** The first secret key in full: shown once, never stored. */
  readonly key: string;
}

/** A workspace's name, trimmed; refused naming `field` when empty or too long. */
export function normalizeWorkspaceName(input: string, field = 'name'): string {
  const name = input.trim();
  if (name === '' || name.length > MAX_NAME_LENGTH) throw invalidInput(field, `use 1 to ${MAX_NAME_LENGTH} characters`);
  return name;
}

/** A workspace with its first secret key, in one transaction: no workspace is ever left without a way in. */
export async function createWorkspace(
  db: Db,
  input: { name: string; plan?: PlanInput | null | undefined },
): Promise<CreatedWorkspace> {
  const name = normalizeWorkspaceName(input.name);
  const plan = validatePlan(input.plan, 'plan');
  return db.transaction().execute(async (trx) => {
    const workspace = await insertWorkspace(trx, { name, plan });
    const first = await insertKey(trx, workspace.id, { type: 'secret', name: FIRST_KEY_NAME, allowedDomains: [] });
    await notify(trx, channels.workspaces, workspace.id);
    return { workspace, ...first };
  });
}

export async function getWorkspace(db: Db, id: string): Promise<WorkspaceRow> {
  const workspace = isUuid(id) ? await findWorkspaceById(db, id) : undefined;
  if (!workspace) throw new DomainError('workspace_not_found');
  return workspace;
}

export async function allWorkspaces(db: Db): Promise<WorkspaceRow[]> {
  return listWorkspaces(db);
}

/** Changes the plan; API processes apply it on the NOTIFY (quotas and rate limits within 2 s). */
export async function updatePlan(db: Db, workspaceId: string, input: PlanInput): Promise<WorkspaceRow> {
  const plan = validatePlan(input, 'input');
  if (!isUuid(workspaceId)) throw new DomainError('workspace_not_found');
  return db.transaction().execute(async (trx) => {
    const workspace = await updateWorkspacePlan(trx, workspaceId, plan);
    if (!workspace) throw new DomainError('workspace_not_found');
    await notify(trx, channels.workspaces, workspace.id);
    return workspace;
  });
}

/** Deletes a workspace with its keys and usage; its keys stop working on every API process at once. */
export async function deleteWorkspace(db: Db, workspaceId: string): Promise<void> {
  if (!isUuid(workspaceId)) throw new DomainError('workspace_not_found');
  await db.transaction().execute(async (trx) => {
    const { deleted, keyIds } = await deleteWorkspaceById(trx, workspaceId);
    if (!deleted) throw new DomainError('workspace_not_found');
    await notify(trx, channels.workspaces, workspaceId);
    for (const keyId of keyIds) await notify(trx, channels.apiKeys, keyId);
  });
}
