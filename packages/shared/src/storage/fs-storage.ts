import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { contentTypeForKey, type ImageStorage, STORAGE_KEY_PATTERN } from './image-storage.ts';

/** Files under DATA_DIR/images, fanned out by the first two hex digits to keep folders small. */
export function createFsStorage(dir: string): ImageStorage {
  const pathOf = (key: string) => {
    if (!STORAGE_KEY_PATTERN.test(key)) throw new Error(`not a storage key: ${key}`);
    return join(dir, key.slice(0, 2), key);
  };
  return {
    async put(key, body) {
      const path = pathOf(key);
      await mkdir(join(dir, key.slice(0, 2)), { recursive: true });
      // Write then rename, so a reader never sees half a file.
      const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temp, body);
      await rename(temp, path);
    },
    async get(key) {
      if (!STORAGE_KEY_PATTERN.test(key)) return undefined;
      try {
        const body = await readFile(pathOf(key));
        return { body, contentType: contentTypeForKey(key) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
