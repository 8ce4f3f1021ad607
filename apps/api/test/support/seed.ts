import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '@avtrz/db/client';
import { channels, notify } from '@avtrz/db/notify';
import { type ApiKeyKind, generateApiKey } from '@avtrz/shared/api-key';
import { AVATAR_SIZES } from '@avtrz/shared/avatar-sizes';
import type { ImageStorage } from '@avtrz/shared/storage/image-storage';

/** Rows as the admin API and the worker write them, for tests that start from a known state. */

export async function seedWorkspace(
  db: Db,
  plan: { monthlyRequestQuota?: number; monthlyNewProfileQuota?: number; rateLimitPerMinute?: number } = {},
): Promise<string> {
  const row = await db
    .insertInto('workspaces')
    .values({
      name: 'Test workspace',
      monthly_request_quota: plan.monthlyRequestQuota ?? 1_000_000,
      monthly_new_profile_quota: plan.monthlyNewProfileQuota ?? 1_000_000,
      rate_limit_per_minute: plan.rateLimitPerMinute ?? 1_000_000,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface SeededKey {
  readonly id: string;
  readonly key: string;
}

export async function seedKey(
  db: Db,
  workspaceId: string,
  kind: ApiKeyKind,
  options: { allowedDomains?: string[]; revokedAt?: Date | null } = {},
): Promise<SeededKey> {
  const generated = generateApiKey(kind);
  const row = await db
    .insertInto('api_keys')
    .values({
      workspace_id: workspaceId,
      type: kind,
      name: `${kind} test key`,
      key_hash: generated.hash,
      prefix: generated.prefix,
      last4: generated.last4,
      allowed_domains: options.allowedDomains ?? [],
      revoked_at: options.revokedAt ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, key: generated.key };
}

/** Revokes a key the way the admin API does: the write and its notification in one transaction. */
export async function revokeKey(db: Db, keyId: string, at = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', keyId).execute();
    await notify(trx, channels.apiKeys, keyId);
  });
}

export interface SeededPhoto {
  /** By size: what the 302 should say. */
  readonly variants: ReadonlyMap<number, { storageKey: string; contentHash: string; body: Uint8Array }>;
}

/**
 * A resolved profile the way the worker leaves it: an image, one stored rendition per size (bytes
 * in storage under `<sha256>.webp`), the profile row, and the notification. `notifyChange` false
 * leaves the notification out (for tests of the TTL backstop).
 */
export async function seedResolvedProfile(
  db: Db,
  storage: ImageStorage,
  handle: string,
  options: { notifyChange?: boolean } = {},
): Promise<SeededPhoto> {
  const imageHash = createHash('sha256').update(randomBytes(32)).digest('hex');
  const variants = new Map<number, { storageKey: string; contentHash: string; body: Uint8Array }>();
  for (const size of AVATAR_SIZES) {
    // Not a real WEBP: the origin serves bytes as stored, and this keeps the API tests free of codecs.
    const body = Buffer.concat([Buffer.from(`RIFF${size}WEBPVP8 `), randomBytes(64)]);
    const contentHash = createHash('sha256').update(body).digest('hex');
    const storageKey = `${contentHash}.webp`;
    await storage.put(storageKey, body, 'image/webp');
    variants.set(size, { storageKey, contentHash, body });
  }
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('images')
      .values({
        hash: imageHash,
        source_url: `https://media.licdn.com/${handle}.jpg`,
        source_width: 800,
        source_height: 800,
        format: 'webp',
      })
      .execute();
    await trx
      .insertInto('image_variants')
      .values(
        [...variants].map(([size, v]) => ({
          image_hash: imageHash,
          size,
          content_hash: v.contentHash,
          storage_key: v.storageKey,
          content_type: 'image/webp',
          byte_size: v.body.byteLength,
        })),
      )
      .execute();
    await trx
      .insertInto('profiles')
      .values({ handle, status: 'resolved', image_hash: imageHash, resolved_at: new Date(), checked_at: new Date() })
      .onConflict((oc) =>
        oc
          .column('handle')
          .doUpdateSet({ status: 'resolved', image_hash: imageHash, resolved_at: new Date(), checked_at: new Date() }),
      )
      .execute();
    if (options.notifyChange !== false) await notify(trx, channels.profiles, handle);
  });
  return { variants };
}

/** A profile the worker found without a photo (or failed on), with its notification. */
export async function seedProfileWithoutPhoto(
  db: Db,
  handle: string,
  status: 'no_photo' | 'failed' = 'no_photo',
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('profiles')
      .values({ handle, status, checked_at: new Date() })
      .onConflict((oc) => oc.column('handle').doUpdateSet({ status, image_hash: null, checked_at: new Date() }))
      .execute();
    await notify(trx, channels.profiles, handle);
  });
}

/** Resolution jobs queued for a handle (Graphile Worker's own table). */
export async function resolutionJobs(db: Db, handle: string): Promise<number> {
  const result = await sql<{ n: number }>`
    select count(*)::int as n from graphile_worker.jobs where key = ${`resolve_profile:${handle}`}`.execute(db);
  return result.rows[0]?.n ?? 0;
}

/** A signing secret of a publishable key, as the admin API creates it (with the key's notification). */
export async function seedSigningSecret(db: Db, keyId: string): Promise<{ id: string; secret: string }> {
  const secret = `avtrz_sig_${randomBytes(32).toString('base64url')}`;
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('signing_secrets')
      .values({ key_id: keyId, secret, last4: secret.slice(-4) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await notify(trx, channels.apiKeys, keyId);
    return { id: row.id, secret };
  });
}

/** Revokes a signing secret the way the admin API does: the write and the key's notification together. */
export async function revokeSigningSecret(db: Db, id: string, keyId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('signing_secrets').set({ revoked_at: new Date() }).where('id', '=', id).execute();
    await notify(trx, channels.apiKeys, keyId);
  });
}
