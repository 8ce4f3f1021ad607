import { sql } from 'kysely';
import type { Db } from '../client.ts';
import type { ApiKeyRow, ApiKeyType } from '../schema/database.ts';

/**
 * Key management as the admin API sees it. Every query is scoped by workspace id, so a caller can
 * never read or change another workspace's key by guessing its id.
 */

export interface NewApiKey {
  readonly workspaceId: string;
  readonly type: ApiKeyType;
  readonly name: string | null;
  readonly keyHash: Uint8Array;
  readonly prefix: string;
  readonly last4: string;
  readonly allowedDomains: readonly string[];
}

export async function insertApiKey(db: Db, key: NewApiKey): Promise<ApiKeyRow> {
  return db
    .insertInto('api_keys')
    .values({
      workspace_id: key.workspaceId,
      type: key.type,
      name: key.name,
      key_hash: key.keyHash,
      prefix: key.prefix,
      last4: key.last4,
      allowed_domains: [...key.allowedDomains],
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface ApiKeyListOptions {
  /** Include keys whose revocation time has passed. Keys in a grace period are always listed. */
  readonly includeRevoked: boolean;
  readonly now: Date;
  /** Keyset paging: only keys after the key with this id (in list order). */
  readonly afterId?: string | undefined;
  readonly limit?: number | undefined;
}

/** A workspace's keys, oldest first. */
export async function listApiKeys(db: Db, workspaceId: string, options: ApiKeyListOptions): Promise<ApiKeyRow[]> {
  let query = db.selectFrom('api_keys').selectAll().where('workspace_id', '=', workspaceId);
  if (!options.includeRevoked) {
    query = query.where((eb) => eb.or([eb('revoked_at', 'is', null), eb('revoked_at', '>', options.now)]));
  }
  if (options.afterId !== undefined) {
    // Compared in the database: created_at has microseconds that a JavaScript Date would lose.
    query = query.where(
      sql<boolean>`(created_at, id) > (select c.created_at, c.id from api_keys c where c.id = ${options.afterId}::uuid)`,
    );
  }
  if (options.limit !== undefined) query = query.limit(options.limit);
  return query.orderBy('created_at').orderBy('id').execute();
}

export async function findApiKeyInWorkspace(db: Db, workspaceId: string, id: string): Promise<ApiKeyRow | undefined> {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Any workspace's key: for the operator's tools (the CLI), which are not scoped to one workspace. */
export async function findApiKeyById(db: Db, id: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks the key row for the rest of the transaction (roll and revoke decide on its current state). */
export async function findApiKeyInWorkspaceForUpdate(
  db: Db,
  workspaceId: string,
  id: string,
): Promise<ApiKeyRow | undefined> {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export interface ApiKeyPatch {
  readonly name?: string | null | undefined;
  readonly allowedDomains?: readonly string[] | undefined;
}

export async function updateApiKey(
  db: Db,
  workspaceId: string,
  id: string,
  patch: ApiKeyPatch,
): Promise<ApiKeyRow | undefined> {
  const columns = {
    ...(patch.name !== undefined && { name: patch.name }),
    ...(patch.allowedDomains !== undefined && { allowed_domains: [...patch.allowedDomains] }),
  };
  if (Object.keys(columns).length === 0) return findApiKeyInWorkspace(db, workspaceId, id);
  return db
    .updateTable('api_keys')
    .set(columns)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function setApiKeyRevokedAt(
  db: Db,
  workspaceId: string,
  id: string,
  revokedAt: Date,
): Promise<ApiKeyRow | undefined> {
  return db
    .updateTable('api_keys')
    .set({ revoked_at: revokedAt })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Records a use of the key, at most once per `resolutionMs` so that busy callers do not write every time. */
export async function touchApiKeyLastUsed(db: Db, id: string, now: Date, resolutionMs = 60_000): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(now.getTime() - resolutionMs))]),
    )
    .execute();
}
