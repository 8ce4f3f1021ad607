import { sql } from 'kysely';
import type { Db } from '../client.ts';
import type { ApiKeyType } from '../schema/database.ts';

/** Everything the hot path needs to know about a key, joined with its workspace's plan. */
export interface KeyForRequest {
  readonly id: string;
  readonly workspaceId: string;
  readonly type: ApiKeyType;
  readonly allowedDomains: readonly string[];
  /** A revocation time in the future (a rolled key's grace period) still lets the key work until then. */
  readonly revokedAt: Date | null;
  /** Active signing secrets (publishable keys; at most two, oldest first): signed URLs are verified with them. */
  readonly signingSecrets: readonly string[];
  readonly plan: {
    readonly monthlyRequestQuota: number;
    readonly monthlyNewProfileQuota: number;
    readonly rateLimitPerMinute: number;
  };
}

export async function findKeyForRequestByHash(db: Db, keyHash: Uint8Array): Promise<KeyForRequest | undefined> {
  return findKeyForRequest(db, { hash: keyHash });
}

/** The same view of a key found by its id (tools and tests that hold an id rather than the key). */
export async function findKeyForRequestById(db: Db, keyId: string): Promise<KeyForRequest | undefined> {
  return findKeyForRequest(db, { id: keyId });
}

async function findKeyForRequest(
  db: Db,
  by: { hash: Uint8Array } | { id: string },
): Promise<KeyForRequest | undefined> {
  const row = await db
    .selectFrom('api_keys as k')
    .innerJoin('workspaces as w', 'w.id', 'k.workspace_id')
    .select([
      'k.id',
      'k.workspace_id',
      'k.type',
      'k.allowed_domains',
      'k.revoked_at',
      'w.monthly_request_quota',
      'w.monthly_new_profile_quota',
      'w.rate_limit_per_minute',
      sql<string[]>`coalesce((
        select array_agg(s.secret order by s.created_at) from signing_secrets s
        where s.key_id = k.id and s.revoked_at is null), '{}')`.as('signing_secrets'),
    ])
    .where((eb) => ('hash' in by ? eb('k.key_hash', '=', by.hash) : eb('k.id', '=', by.id)))
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    type: row.type,
    allowedDomains: row.allowed_domains,
    revokedAt: row.revoked_at,
    signingSecrets: row.signing_secrets,
    plan: {
      monthlyRequestQuota: row.monthly_request_quota,
      monthlyNewProfileQuota: row.monthly_new_profile_quota,
      rateLimitPerMinute: row.rate_limit_per_minute,
    },
  };
}

export function isKeyActive(key: Pick<KeyForRequest, 'revokedAt'>, atMs: number): boolean {
  return key.revokedAt === null || key.revokedAt.getTime() > atMs;
}
