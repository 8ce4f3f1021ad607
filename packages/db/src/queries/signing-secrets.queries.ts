import type { Db } from '../client.ts';
import type { SigningSecretRow } from '../schema/database.ts';

/**
 * Signing secrets as the admin API manages them. Every query is scoped by workspace (through the key),
 * so a caller can never see or revoke another workspace's secret by guessing an id.
 */

export interface SigningSecretView {
  readonly id: string;
  readonly keyId: string;
  readonly last4: string;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

const viewColumns = [
  's.id as id',
  's.key_id as keyId',
  's.last4 as last4',
  's.created_at as createdAt',
  's.revoked_at as revokedAt',
] as const;

export async function insertSigningSecret(
  db: Db,
  input: { keyId: string; secret: string; last4: string },
): Promise<SigningSecretRow> {
  return db
    .insertInto('signing_secrets')
    .values({ key_id: input.keyId, secret: input.secret, last4: input.last4 })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function countActiveSigningSecrets(db: Db, keyId: string): Promise<number> {
  const row = await db
    .selectFrom('signing_secrets')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('key_id', '=', keyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A key's secrets, oldest first (without the secrets themselves). */
export async function listSigningSecrets(
  db: Db,
  workspaceId: string,
  keyId: string,
  options: { includeRevoked: boolean },
): Promise<SigningSecretView[]> {
  let query = db
    .selectFrom('signing_secrets as s')
    .innerJoin('api_keys as k', 'k.id', 's.key_id')
    .select(viewColumns)
    .where('k.workspace_id', '=', workspaceId)
    .where('s.key_id', '=', keyId);
  if (!options.includeRevoked) query = query.where('s.revoked_at', 'is', null);
  return query.orderBy('s.created_at').orderBy('s.id').execute();
}

export async function findSigningSecretInWorkspace(
  db: Db,
  workspaceId: string,
  id: string,
): Promise<SigningSecretView | undefined> {
  return db
    .selectFrom('signing_secrets as s')
    .innerJoin('api_keys as k', 'k.id', 's.key_id')
    .select(viewColumns)
    .where('k.workspace_id', '=', workspaceId)
    .where('s.id', '=', id)
    .executeTakeFirst();
}

/** Revokes an active secret; a revoked one keeps its time. Undefined when there is no such secret. */
export async function revokeSigningSecretRow(
  db: Db,
  workspaceId: string,
  id: string,
  at: Date,
): Promise<SigningSecretView | undefined> {
  await db
    .updateTable('signing_secrets as s')
    .set({ revoked_at: at })
    .where('s.id', '=', id)
    .where('s.revoked_at', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('api_keys as k')
          .select('k.id')
          .whereRef('k.id', '=', 's.key_id')
          .where('k.workspace_id', '=', workspaceId),
      ),
    )
    .execute();
  return findSigningSecretInWorkspace(db, workspaceId, id);
}

/** Any workspace's secret with its key's workspace: for the operator's tools (the CLI). */
export async function findSigningSecretById(
  db: Db,
  id: string,
): Promise<(SigningSecretView & { workspaceId: string }) | undefined> {
  return db
    .selectFrom('signing_secrets as s')
    .innerJoin('api_keys as k', 'k.id', 's.key_id')
    .select([...viewColumns, 'k.workspace_id as workspaceId'])
    .where('s.id', '=', id)
    .executeTakeFirst();
}
