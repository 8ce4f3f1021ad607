import type { Config } from '../config.ts';
import { createFsStorage } from './fs-storage.ts';
import type { ImageStorage } from './image-storage.ts';

/** The storage the configuration names (STORAGE_DRIVER). */
export function createImageStorage(config: Config['storage']): ImageStorage {
  switch (config.driver) {
    case 'fs':
      return createFsStorage(config.dir);
    case 's3':
      throw new Error('STORAGE_DRIVER=s3 is not available in this build');
  }
}
