import type { Db } from '@avtrz/db/client';
import { channels, notify } from '@avtrz/db/notify';
import {
  findApiKeyById,
  findApiKeyInWorkspace,
  findApiKeyInWorkspaceForUpdate,
  insertApiKey,
  listApiKeys,
  setApiKeyRevokedAt,
  updateApiKey as updateApiKeyRow,
} from '@avtrz/db/queries/api-keys.queries';
import type { ApiKeyRow, ApiKeyType } from '@avtrz/db/schema';
import { generateApiKey } from '@avtrz/shared/api-key';
import { DomainError } from '@avtrz/shared/errors';
import { invalidInput, isUuid } from './_invalid-input.ts';
import { normalizeDomainsInput, normalizeKeyName } from './api-key-input.ts';

/**
 * Key management for one workspace. Only the SHA-256 of a key is stored; the full key leaves this
 * module once, in the result of create/roll. Every change NOTIFYs `channels.apiKeys` in the same
 * transaction, so API processes drop what they hold about the key as soon as the change commits.
 */

export interface NewKeyInput {
  readonly type: ApiKeyType;
  readonly name?: string | null | undefined;
  readonly allowedDomains?: readonly string[] | null | undefined;
}

export interface CreatedKey {
  readonly apiKey: ApiKeyRow;
  /** The full key: shown once, never stored. */
  readonly key: string;
}

/** Longest grace period a rolled key may keep working: long enough for any deploy, short enough to matter. */
export const MAX_GRACE_PERIOD_SECONDS = 30 * 24 * 3600;

export async function createApiKey(db: Db, workspaceId: string, input: NewKeyInput): Promise<CreatedKey> {
  const name = normalizeKeyName(input.name);
  const allowedDomains = normalizeDomainsInput(input.allowedDomains ?? []);
  return db.transaction().execute((trx) => insertKey(trx, workspaceId, { type: input.type, name, allowedDomains }));
}

/** Inside the caller's transaction: for createWorkspace and rolls. Input already normalised. */
export async function insertKey(
  trx: Db,
  workspaceId: string,
  input: { type: ApiKeyType; name: string | null; allowedDomains: readonly string[] },
): Promise<CreatedKey> {
  const generated = generateApiKey(input.type);
  const apiKey = await insertApiKey(trx, {
    workspaceId,
    type: input.type,
    name: input.name,
    keyHash: generated.hash,
    prefix: generated.prefix,
    last4: generated.last4,
    allowedDomains: input.allowedDomains,
  });
  await notify(trx, channels.apiKeys, apiKey.id);
  return { apiKey, key: generated.key };
}

export async function listWorkspaceApiKeys(
  db: Db,
  workspaceId: string,
  options: { includeRevoked: boolean; now: Date },
): Promise<ApiKeyRow[]> {
  return listApiKeys(db, workspaceId, options);
}

export async function getApiKey(db: Db, workspaceId: string, id: string): Promise<ApiKeyRow> {
  const key = isUuid(id) ? await findApiKeyInWorkspace(db, workspaceId, id) : undefined;
  if (!key) throw new DomainError('api_key_not_found');
  return key;
}

export async function updateApiKey(
  db: Db,
  workspaceId: string,
  id: string,
  input: { name?: string | null | undefined; allowedDomains?: readonly string[] | null | undefined },
  now: Date,
): Promise<ApiKeyRow> {
  const name = input.name === undefined ? undefined : normalizeKeyName(input.name);
  // null clears the list (the key becomes unrestricted), like an empty list.
  const allowedDomains =
    input.allowedDomains === undefined ? undefined : normalizeDomainsInput(input.allowedDomains ?? []);
  return db.transaction().execute(async (trx) => {
    const current = await lockKey(trx, workspaceId, id);
    if (isRevokedAt(current, now)) throw invalidInput('id', 'this API key is revoked and can no longer be changed');
    const updated = await updateApiKeyRow(trx, workspaceId, id, { name, allowedDomains });
    if (!updated) throw new DomainError('api_key_not_found');
    await notify(trx, channels.apiKeys, id);
    return updated;
  });
}

/** Revokes now. Idempotent: a key already revoked keeps its revocation time; one in a grace period stops now. */
export async function revokeApiKey(db: Db, workspaceId: string, id: string, now: Date): Promise<ApiKeyRow> {
  return db.transaction().execute(async (trx) => {
    const current = await lockKey(trx, workspaceId, id);
    if (isRevokedAt(current, now)) return current;
    const revoked = await setApiKeyRevokedAt(trx, workspaceId, id, now);
    if (!revoked) throw new DomainError('api_key_not_found');
    await notify(trx, channels.apiKeys, id);
    return revoked;
  });
}

/** For the operator's tools, which name a key by id alone: revokes it in whatever workspace it belongs to. */
export async function revokeAnyApiKey(db: Db, id: string, now: Date): Promise<ApiKeyRow> {
  const key = isUuid(id) ? await findApiKeyById(db, id) : undefined;
  if (!key) throw new DomainError('api_key_not_found', 'There is no API key with this id.');
  return revokeApiKey(db, key.workspace_id, id, now);
}

export interface RolledKey extends CreatedKey {
  /** The key that was rolled, with the time it stops working. */
  readonly previous: ApiKeyRow;
}

/**
 * Creates the successor of a key (same type, name and allowed domains) and has the old key stop
 * working after the grace period (0, the default, stops it now).
 */
export async function rollApiKey(
  db: Db,
  workspaceId: string,
  id: string,
  options: { gracePeriodSeconds?: number | null | undefined; now: Date },
): Promise<RolledKey> {
  const grace = options.gracePeriodSeconds ?? 0;
  if (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_PERIOD_SECONDS) {
    throw invalidInput(
      'gracePeriodSeconds',
      `use a whole number of seconds from 0 to ${MAX_GRACE_PERIOD_SECONDS} (30 days)`,
    );
  }
  return db.transaction().execute(async (trx) => {
    const current = await lockKey(trx, workspaceId, id);
    if (isRevokedAt(current, options.now))
      throw invalidInput('id', 'this API key is revoked; create a new key instead');
    const successor = await insertKey(trx, workspaceId, {
      type: current.type,
      name: current.name,
      allowedDomains: current.allowed_domains,
    });
    const endsAt = new Date(options.now.getTime() + grace * 1000);
    // A key already in a grace period never gets a longer one by being rolled again.
    const revokedAt = current.revoked_at && current.revoked_at < endsAt ? current.revoked_at : endsAt;
    const previous = await setApiKeyRevokedAt(trx, workspaceId, id, revokedAt);
    if (!previous) throw new DomainError('api_key_not_found');
    await notify(trx, channels.apiKeys, id);
    return { ...successor, previous };
  });
}

async function lockKey(trx: Db, workspaceId: string, id: string): Promise<ApiKeyRow> {
  const key = isUuid(id) ? await findApiKeyInWorkspaceForUpdate(trx, workspaceId, id) : undefined;
  if (!key) throw new DomainError('api_key_not_found');
  return key;
}

/** Revoked for good: the revocation time has passed (a future one is a grace period). */
export function isRevokedAt(key: Pick<ApiKeyRow, 'revoked_at'>, now: Date): boolean {
  return key.revoked_at !== null && key.revoked_at.getTime() <= now.getTime();
}
