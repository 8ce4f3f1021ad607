import type { Config } from '../config.ts';
import { createFsStorage } from './fs-storage.ts';
import type { ImageStorage } from './image-storage.ts';
import { createS3Storage } from './s3-storage.ts';

/** The storage the configuration names (STORAGE_DRIVER). */
export function createImageStorage(config: Config['storage']): ImageStorage {
  switch (config.driver) {
    case 'fs':
      return createFsStorage(config.dir);
    case 's3':
      return createS3Storage(config);
  }
}
