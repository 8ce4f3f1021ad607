import type { Db } from '../client.ts';
import type { WorkspaceRow } from '../schema/database.ts';

/** A workspace's plan; absent fields keep their current (or, on insert, default) values. */
export interface PlanPatch {
  readonly monthlyRequestQuota?: number | undefined;
  readonly monthlyNewProfileQuota?: number | undefined;
  readonly rateLimitPerMinute?: number | undefined;
}

function planColumns(plan: PlanPatch) {
  return {
    ...(plan.monthlyRequestQuota !== undefined && { monthly_request_quota: plan.monthlyRequestQuota }),
    ...(plan.monthlyNewProfileQuota !== undefined && { monthly_new_profile_quota: plan.monthlyNewProfileQuota }),
    ...(plan.rateLimitPerMinute !== undefined && { rate_limit_per_minute: plan.rateLimitPerMinute }),
  };
}

export async function insertWorkspace(db: Db, values: { name: string; plan?: PlanPatch }): Promise<WorkspaceRow> {
  return db
    .insertInto('workspaces')
    .values({ name: values.name, ...planColumns(values.plan ?? {}) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findWorkspaceById(db: Db, id: string): Promise<WorkspaceRow | undefined> {
  return db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every workspace, oldest first (installations hold few; the operator lists them). */
export async function listWorkspaces(db: Db): Promise<WorkspaceRow[]> {
  return db.selectFrom('workspaces').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function updateWorkspacePlan(db: Db, id: string, plan: PlanPatch): Promise<WorkspaceRow | undefined> {
  const columns = planColumns(plan);
  if (Object.keys(columns).length === 0) return findWorkspaceById(db, id);
  return db.updateTable('workspaces').set(columns).where('id', '=', id).returningAll().executeTakeFirst();
}

/** Deletes a workspace and (by cascade) its keys and usage; returns the ids of the keys it had. */
export async function deleteWorkspaceById(db: Db, id: string): Promise<{ deleted: boolean; keyIds: string[] }> {
  const keys = await db.selectFrom('api_keys').select('id').where('workspace_id', '=', id).execute();
  const result = await db.deleteFrom('workspaces').where('id', '=', id).executeTakeFirst();
  return { deleted: result.numDeletedRows > 0n, keyIds: keys.map((k) => k.id) };
}
