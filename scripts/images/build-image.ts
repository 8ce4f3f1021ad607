import { fileURLToPath } from 'node:url';
import { chooseStorageWithStandin } from './choose-storage.ts';
import { podman, podmanOk, storageDriver } from './podman.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The Dockerfile's final stages: `production` (the default) and `all-in-one`. */
export type ImageTarget = 'production' | 'all-in-one';

export const imageTag = (target: ImageTarget) => (target === 'production' ? 'avtrz:latest' : 'avtrz-all-in-one:latest');

/**
 * Builds one target of infra/docker/Dockerfile with podman on top of the local `node:24-bookworm-slim`
 * stand-in (never pulled: no registry is reachable). Layers and the pnpm store are cached in podman's
 * storage, so a rebuild after a source change only re-copies the sources.
 */
export async function buildImage(target: ImageTarget, log: (text: string) => void = () => {}): Promise<string> {
  await chooseStorageWithStandin(log);
  const tag = imageTag(target);
  await podmanOk(
    [
      'build',
      '--pull=never',
      '--network=host',
      // On vfs every intermediate image is a full copy of the file system, written once and deleted
      // again, which costs more than the steps it lets a later build skip; on overlay they are cheap.
      // The pnpm store is a cache mount, kept either way.
      `--layers=${storageDriver() === 'overlay'}`,
      // Docker's format keeps HEALTHCHECK (OCI has no such field).
      '--format=docker',
      '--file',
      'infra/docker/Dockerfile',
      '--ignorefile',
      'infra/docker/Dockerfile.dockerignore',
      '--target',
      target,
      '--tag',
      tag,
      root,
    ],
    { onOutput: log },
  );
  // Each build leaves the image this tag named before and the steps of sources since replaced: drop
  // those older than a day, so the storage stays bounded while the day's builds reuse their steps.
  await podman(['image', 'prune', '--force', '--filter', 'until=24h']);
  return tag;
}

/** The image's size in bytes, as podman counts it (every layer, the base included). */
export async function imageSize(tag: string): Promise<number> {
  return Number((await podmanOk(['image', 'inspect', '--format', '{{.Size}}', tag])).trim());
}

// `node scripts/images/build-image.ts [production|all-in-one]…` builds the targets and prints their sizes.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const targets = (process.argv.slice(2).length ? process.argv.slice(2) : ['production']) as ImageTarget[];
  for (const target of targets) {
    if (target !== 'production' && target !== 'all-in-one') {
      console.error(`build-image: unknown target ${target} (production or all-in-one)`);
      process.exit(2);
    }
    const started = Date.now();
    const tag = await buildImage(target, (text) => process.stderr.write(text));
    const mb = (await imageSize(tag)) / 1e6;
    console.log(`${tag}: ${mb.toFixed(0)} MB, built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
}
