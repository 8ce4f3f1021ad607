import type { Config } from '../config.ts';
import { createFsStorage } from './fs-storage.ts';
import type { ImageStorage } from './image-storage.ts';

/**
 * The storage the configuration names (STORAGE_DRIVER). The S3 client is loaded only when configured:
 * it weighs ~35 MB of memory that the filesystem driver never needs.
 */
export async function createImageStorage(config: Config['storage']): Promise<ImageStorage> {
  switch (config.driver) {
    case 'fs':
      return createFsStorage(config.dir);
    case 's3': {
      const { createS3Storage } = await import('./s3-storage.ts');
      return createS3Storage(config);
    }
  }
}
