import type { Db } from '@avtrz/db/client';
import {
  deleteImages,
  findExpiredImages,
  lockImageStoreExclusive,
  reconcileImageReferences,
} from '@avtrz/db/queries/images.queries';
import type { Logger } from '@avtrz/shared/logger';
import type { ImageStorage } from '@avtrz/shared/storage/image-storage';
import type { Task } from 'graphile-worker';

export interface CleanUpOptions {
  /**
   * How long an image nothing points at is kept. Clients cache our 302s for 24 h, so an old URL
   * must keep working well past that; default 3 days, and never less than 2.
   */
  readonly graceMs: number;
  /** Images deleted per transaction. */
  readonly batch: number;
}

export const MIN_IMAGE_GRACE_MS = 2 * 24 * 3_600_000;

/**
 * Cron, hourly: deletes images (rows and stored objects) that no profile has pointed at for longer
 * than the grace period. Runs under the exclusive image-store lock, so a photo coming back at the
 * same moment waits and is stored afresh.
 */
export function cleanUpImagesTask(deps: {
  db: Db;
  storage: ImageStorage;
  logger: Logger;
  options: CleanUpOptions;
}): Task {
  return async () => {
    const graceMs = Math.max(deps.options.graceMs, MIN_IMAGE_GRACE_MS);
    const now = new Date();
    await reconcileImageReferences(deps.db, now);
    let deleted = 0;
    for (;;) {
      const batch = await deps.db.transaction().execute(async (trx) => {
        await lockImageStoreExclusive(trx);
        const expired = await findExpiredImages(trx, new Date(now.getTime() - graceMs), deps.options.batch);
        // Objects first, rows last: if this dies halfway, the rows are still there to retry from.
        for (const image of expired) await Promise.all(image.storageKeys.map((key) => deps.storage.delete(key)));
        await deleteImages(
          trx,
          expired.map((i) => i.hash),
        );
        return expired.length;
      });
      deleted += batch;
      if (batch < deps.options.batch) break;
    }
    if (deleted > 0) deps.logger.info({ deleted }, 'unreferenced images deleted');
  };
}
