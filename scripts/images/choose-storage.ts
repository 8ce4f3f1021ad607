import { ensureNodeBaseStandin, STANDIN_TAG } from './node-base-standin.ts';
import { podman, type StorageDriver, useStorageDriver } from './podman.ts';

/**
 * Picks the storage (overlay, else vfs) by running the stand-in there, and makes sure the stand-in is
 * in it. Returns the driver chosen.
 */
export async function chooseStorageWithStandin(log: (line: string) => void = () => {}): Promise<StorageDriver> {
  for (const next of ['overlay', 'vfs'] as const) {
    useStorageDriver(next);
    try {
      await ensureNodeBaseStandin(log);
      const probe = await podman(['run', '--rm', '--network=host', STANDIN_TAG, 'node', '-e', '']);
      if (probe.code === 0) return next;
      log(`podman cannot run containers on ${next} storage here: ${probe.stderr.trim().slice(-300)}`);
    } catch (error) {
      log(`podman cannot use ${next} storage here: ${String(error).slice(-300)}`);
    }
  }
  throw new Error('podman runs no container here, on overlay or vfs storage');
}
