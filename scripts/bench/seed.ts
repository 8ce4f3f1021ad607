import { createHash, randomBytes } from 'node:crypto';
import { signAvatarUrl } from '@avtrz/client';
import type { Db } from '@avtrz/db/client';
import { generateApiKey } from '@avtrz/shared/api-key';
import { AVATAR_SIZES } from '@avtrz/shared/avatar-sizes';
import type { ImageStorage } from '@avtrz/shared/storage/image-storage';

export interface BenchSeed {
  readonly workspaceId: string;
  readonly secretKey: string;
  readonly publishableKey: string;
  /** A page on the publishable key's allowed domains. */
  readonly referer: string;
  /** A resolved profile (stored renditions at every size) and the ETag of its 128 px one. */
  readonly resolvedHandle: string;
  readonly resolvedEtag128: string;
  /** A profile the worker found without a photo. */
  readonly noPhotoHandle: string;
  /** The publishable key's request for the resolved profile as a signed URL (no expiry), path and query. */
  readonly signedPath: string;
}

/** A workspace whose plan never limits, its keys and two profiles, written as the apps write them. */
export async function seedBench(db: Db, storage: ImageStorage): Promise<BenchSeed> {
  const workspace = await db
    .insertInto('workspaces')
    .values({
      name: 'bench',
      monthly_request_quota: 2_000_000_000,
      monthly_new_profile_quota: 2_000_000_000,
      rate_limit_per_minute: 2_000_000_000,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const insertKey = async (kind: 'secret' | 'publishable', allowedDomains: string[]) => {
    const generated = generateApiKey(kind);
    const row = await db
      .insertInto('api_keys')
      .values({
        workspace_id: workspace.id,
        type: kind,
        name: `bench ${kind}`,
        key_hash: generated.hash,
        prefix: generated.prefix,
        last4: generated.last4,
        allowed_domains: allowedDomains,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { key: generated.key, id: row.id };
  };
  const secretKey = (await insertKey('secret', [])).key;
  const publishable = await insertKey('publishable', ['*.bench.example', 'bench.example']);
  const publishableKey = publishable.key;
  const signingSecret = `avtrz_sig_${randomBytes(32).toString('base64url')}`;
  await db
    .insertInto('signing_secrets')
    .values({ key_id: publishable.id, secret: signingSecret, last4: signingSecret.slice(-4) })
    .execute();

  const resolvedHandle = 'alex-rivera';
  const imageHash = createHash('sha256').update(randomBytes(32)).digest('hex');
  await db
    .insertInto('images')
    .values({
      hash: imageHash,
      source_url: 'https://media.licdn.com/bench.jpg',
      source_width: 800,
      source_height: 800,
      format: 'webp',
    })
    .execute();
  let etag128 = '';
  for (const size of AVATAR_SIZES) {
    const body = Buffer.concat([Buffer.from(`RIFF${size}WEBPVP8 `), randomBytes(size * 8)]);
    const contentHash = createHash('sha256').update(body).digest('hex');
    await storage.put(`${contentHash}.webp`, body, 'image/webp');
    await db
      .insertInto('image_variants')
      .values({
        image_hash: imageHash,
        size,
        content_hash: contentHash,
        storage_key: `${contentHash}.webp`,
        content_type: 'image/webp',
        byte_size: body.byteLength,
      })
      .execute();
    if (size === 128) etag128 = `"${contentHash}"`;
  }
  const now = new Date();
  await db
    .insertInto('profiles')
    .values({ handle: resolvedHandle, status: 'resolved', image_hash: imageHash, resolved_at: now, checked_at: now })
    .execute();
  const noPhotoHandle = 'no-photo-person';
  await db.insertInto('profiles').values({ handle: noPhotoHandle, status: 'no_photo', checked_at: now }).execute();
  return {
    workspaceId: workspace.id,
    secretKey,
    publishableKey,
    referer: 'https://www.bench.example/team',
    resolvedHandle,
    resolvedEtag128: etag128,
    noPhotoHandle,
    signedPath: await signedPathOf(
      `/v1/avatar?key=${publishableKey}&linkedin_url=linkedin.com/in/${resolvedHandle}&size=128`,
      signingSecret,
    ),
  };
}

async function signedPathOf(path: string, secret: string): Promise<string> {
  const signed = new URL(await signAvatarUrl(`http://bench.invalid${path}`, secret));
  return `${signed.pathname}${signed.search}`;
}
