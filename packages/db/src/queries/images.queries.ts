import { AVATAR_SIZES } from '@avtrz/shared/avatar-sizes';
import { sql } from 'kysely';
import type { Db } from '../client.ts';
import type { ImageFormat } from '../schema/database.ts';

/** A complete image has one rendition per served size. */
const VARIANTS_PER_IMAGE = AVATAR_SIZES.length;

// Storing images takes this lock shared and the clean-up takes it exclusive, so an image being
// stored again is never deleted under the storer's feet (objects or rows).
const IMAGE_STORE_LOCK = sql`${1635150681}::int4, ${1}::int4`;

export async function lockImageStoreShared(trx: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock_shared(${IMAGE_STORE_LOCK})`.execute(trx);
}

export async function lockImageStoreExclusive(trx: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(${IMAGE_STORE_LOCK})`.execute(trx);
}

/** True when the image and all its renditions are stored (so a photo seen before needs no work). */
export async function isImageComplete(db: Db, hash: string): Promise<boolean> {
  const row = await db
    .selectFrom('image_variants')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('image_hash', '=', hash)
    .executeTakeFirstOrThrow();
  return Number(row.n) >= VARIANTS_PER_IMAGE;
}

export interface NewImage {
  readonly hash: string;
  readonly sourceUrl: string;
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  readonly format: ImageFormat;
  readonly variants: readonly {
    readonly size: number;
    readonly contentHash: string;
    readonly storageKey: string;
    readonly contentType: string;
    readonly byteSize: number;
  }[];
}

/** Records an image and its renditions; an image recorded before is kept and counted as in use again. */
export async function upsertImage(trx: Db, image: NewImage): Promise<void> {
  await trx
    .insertInto('images')
    .values({
      hash: image.hash,
      source_url: image.sourceUrl,
      source_width: image.sourceWidth,
      source_height: image.sourceHeight,
      format: image.format,
    })
    .onConflict((oc) => oc.column('hash').doUpdateSet({ unreferenced_since: null }))
    .execute();
  await trx
    .insertInto('image_variants')
    .values(
      image.variants.map((v) => ({
        image_hash: image.hash,
        size: v.size,
        content_hash: v.contentHash,
        storage_key: v.storageKey,
        content_type: v.contentType,
        byte_size: v.byteSize,
      })),
    )
    .onConflict((oc) => oc.columns(['image_hash', 'size']).doNothing())
    .execute();
}

/** Marks an image as in use again (a profile points at it). */
export async function markImageReferenced(trx: Db, hash: string): Promise<void> {
  await trx.updateTable('images').set({ unreferenced_since: null }).where('hash', '=', hash).execute();
}

/** Starts the grace period of an image no profile points at any more. */
export async function markImageUnreferencedIfUnused(trx: Db, hash: string, now: Date): Promise<void> {
  await trx
    .updateTable('images')
    .set({ unreferenced_since: now })
    .where('hash', '=', hash)
    .where('unreferenced_since', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('profiles').select('handle').whereRef('profiles.image_hash', '=', 'images.hash'))),
    )
    .execute();
}

/** Brings every image's unreferenced_since in line with the profiles (a safety net for the clean-up). */
export async function reconcileImageReferences(db: Db, now: Date): Promise<void> {
  await sql`
    update images i set unreferenced_since = case when exists (select 1 from profiles p where p.image_hash = i.hash)
      then null else ${now}::timestamptz end
    where (unreferenced_since is null) = not exists (select 1 from profiles p where p.image_hash = i.hash)`.execute(db);
}

export interface ExpiredImage {
  readonly hash: string;
  /** Objects only this image uses; safe to delete with it. */
  readonly storageKeys: readonly string[];
}

/** Images unreferenced since before `before` (at most `limit`), with the objects no other image shares. */
export async function findExpiredImages(trx: Db, before: Date, limit: number): Promise<ExpiredImage[]> {
  const images = await trx
    .selectFrom('images')
    .select('hash')
    .where('unreferenced_since', '<', before)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('profiles').select('handle').whereRef('profiles.image_hash', '=', 'images.hash'))),
    )
    .orderBy('unreferenced_since')
    .limit(limit)
    .execute();
  if (images.length === 0) return [];
  const hashes = images.map((i) => i.hash);
  const variants = await trx
    .selectFrom('image_variants as v')
    .select(['v.image_hash', 'v.storage_key'])
    .where('v.image_hash', 'in', hashes)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('image_variants as other')
            .select('other.image_hash')
            .whereRef('other.storage_key', '=', 'v.storage_key')
            .where('other.image_hash', 'not in', hashes),
        ),
      ),
    )
    .execute();
  return hashes.map((hash) => ({
    hash,
    storageKeys: [...new Set(variants.filter((v) => v.image_hash === hash).map((v) => v.storage_key))],
  }));
}

/** Deletes image rows (their renditions go with them). */
export async function deleteImages(trx: Db, hashes: readonly string[]): Promise<void> {
  if (hashes.length === 0) return;
  await trx
    .deleteFrom('images')
    .where('hash', 'in', [...hashes])
    .execute();
}
