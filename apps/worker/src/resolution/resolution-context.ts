import type { Db } from '@avtrz/db/client';
import type { Logger } from '@avtrz/shared/logger';
import type { ImageStorage } from '@avtrz/shared/storage/image-storage';
import type { ProfilePhotoSource } from '@avtrz/shared/upstream/profile-photo-source';
import type { SafeFetch } from '@avtrz/shared/upstream/safe-fetch';

/** Timing rules for keeping photos fresh. */
export interface ResolutionPolicy {
  /** Re-resolve a profile with a photo after this long (REFRESH_INTERVAL_HOURS, default 7 days). */
  readonly refreshIntervalMs: number;
  /** Look again at a profile without a photo after this long (NO_PHOTO_RECHECK_HOURS, default 24 h). */
  readonly noPhotoRecheckMs: number;
  /** First retry after a failure; doubles with each further failure. Default 1 min. */
  readonly retryBaseMs: number;
  /** Longest wait between retries. Default 6 h: anti-bot blocks usually lift within hours. */
  readonly retryCapMs: number;
  /** The pixel limit for decoding (UPSTREAM_MAX_PIXELS). */
  readonly maxPixels: number;
  /** Hosts a photo may come from (UPSTREAM_IMAGE_HOSTS). */
  readonly imageHosts: readonly string[];
}

/** Everything a resolution needs, built once per worker process. */
export interface ResolutionContext {
  readonly db: Db;
  readonly storage: ImageStorage;
  readonly source: ProfilePhotoSource;
  readonly fetch: SafeFetch;
  readonly policy: ResolutionPolicy;
  readonly logger: Logger;
}
