import { randomBytes } from 'node:crypto';
import type { Db } from '@avtrz/db/client';
import { channels, notify } from '@avtrz/db/notify';
import {
  findApiKeyById,
  findApiKeyInWorkspace,
  findApiKeyInWorkspaceForUpdate,
} from '@avtrz/db/queries/api-keys.queries';
import {
  countActiveSigningSecrets,
  findSigningSecretById,
  findSigningSecretInWorkspace,
  insertSigningSecret,
  listSigningSecrets,
  revokeSigningSecretRow,
  type SigningSecretView,
} from '@avtrz/db/queries/signing-secrets.queries';
import type { ApiKeyRow } from '@avtrz/db/schema';
import { DomainError } from '@avtrz/shared/errors';
import { MAX_ACTIVE_SIGNING_SECRETS, SIGNING_SECRET_PREFIX } from '@avtrz/shared/signing-secrets';
import { invalidInput, isUuid } from './_invalid-input.ts';
import { isRevokedAt } from './api-keys.service.ts';

/**
 * Signing secrets of publishable keys (CONTRACT §8): at most two active per key, so that a secret can
 * be rotated without downtime. The secret leaves this module once, in the result of create. Every
 * change NOTIFYs `channels.apiKeys` with the key's id in the same transaction: API processes hold a
 * key's secrets with the key, and drop both as soon as the change commits.
 */

export interface CreatedSigningSecret {
  readonly signingSecret: SigningSecretView;
  /** The full secret: shown once. */
  readonly secret: string;
}

export async function createSigningSecret(
  db: Db,
  workspaceId: string,
  keyId: string,
  now: Date,
): Promise<CreatedSigningSecret> {
  return db.transaction().execute(async (trx) => {
    // The key row's lock makes the two-secret limit exact under concurrent creates.
    const key = isUuid(keyId) ? await findApiKeyInWorkspaceForUpdate(trx, workspaceId, keyId) : undefined;
    if (!key) throw new DomainError('api_key_not_found');
    if (key.type !== 'publishable')
      throw invalidInput('keyId', 'signing secrets are for publishable keys; secret keys are never sent to browsers');
    if (isRevokedAt(key, now)) throw invalidInput('keyId', 'this API key is revoked');
    if ((await countActiveSigningSecrets(trx, keyId)) >= MAX_ACTIVE_SIGNING_SECRETS) {
      throw invalidInput(
        'keyId',
        `this key already has ${MAX_ACTIVE_SIGNING_SECRETS} active signing secrets; revoke one before creating another`,
      );
    }
    const secret = `${SIGNING_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row = await insertSigningSecret(trx, { keyId, secret, last4: secret.slice(-4) });
    await notify(trx, channels.apiKeys, keyId);
    return {
      signingSecret: { id: row.id, keyId, last4: row.last4, createdAt: row.created_at, revokedAt: row.revoked_at },
      secret,
    };
  });
}

/**
 * The secrets of a key named by id: a key of another workspace is not found, exactly like one that does
 * not exist (and not an empty list, which would say nothing about whether the id was right).
 */
export async function listKeySigningSecrets(
  db: Db,
  workspaceId: string,
  keyId: string,
  options: { includeRevoked: boolean },
): Promise<SigningSecretView[]> {
  const key = isUuid(keyId) ? await findApiKeyInWorkspace(db, workspaceId, keyId) : undefined;
  if (!key) throw new DomainError('api_key_not_found');
  return listSigningSecrets(db, workspaceId, keyId, options);
}

/** The secrets of a key the caller has already loaded in its workspace (GraphQL's `ApiKey.signingSecrets`). */
export async function listLoadedKeySigningSecrets(
  db: Db,
  key: Pick<ApiKeyRow, 'id' | 'workspace_id' | 'type'>,
): Promise<SigningSecretView[]> {
  if (key.type !== 'publishable') return [];
  return listSigningSecrets(db, key.workspace_id, key.id, { includeRevoked: false });
}

/** Stops the secret on every API process within 2 seconds. Revoking a revoked secret changes nothing. */
export async function revokeSigningSecret(
  db: Db,
  workspaceId: string,
  id: string,
  now: Date,
): Promise<SigningSecretView> {
  if (!isUuid(id)) throw new DomainError('signing_secret_not_found');
  return db.transaction().execute(async (trx) => {
    const current = await findSigningSecretInWorkspace(trx, workspaceId, id);
    if (!current) throw new DomainError('signing_secret_not_found');
    if (current.revokedAt) return current;
    const revoked = await revokeSigningSecretRow(trx, workspaceId, id, now);
    if (!revoked) throw new DomainError('signing_secret_not_found');
    await notify(trx, channels.apiKeys, revoked.keyId);
    return revoked;
  });
}

/** For the operator's tools, which name a key by id alone: in whatever workspace the key belongs to. */
export async function createSigningSecretForAnyKey(db: Db, keyId: string, now: Date): Promise<CreatedSigningSecret> {
  const key = isUuid(keyId) ? await findApiKeyById(db, keyId) : undefined;
  if (!key) throw new DomainError('api_key_not_found', 'There is no API key with this id.');
  return createSigningSecret(db, key.workspace_id, keyId, now);
}

/** For the operator's tools: revokes the secret in whatever workspace it belongs to. */
export async function revokeAnySigningSecret(db: Db, id: string, now: Date): Promise<SigningSecretView> {
  const secret = isUuid(id) ? await findSigningSecretById(db, id) : undefined;
  if (!secret) throw new DomainError('signing_secret_not_found', 'There is no signing secret with this id.');
  return revokeSigningSecret(db, secret.workspaceId, id, now);
}
