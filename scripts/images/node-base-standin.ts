import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, copyFile, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageCacheDir, podman, podmanOk } from './podman.ts';

/**
 * A local stand-in for `node:24-bookworm-slim`, for machines that reach no container registry: a
 * Debian bookworm minbase (debootstrap), this Node's binary, npm, and a `node` user with uid 1000 —
 * what the Dockerfile relies on from the real image. Built once per recipe and kept: the image in
 * podman's storage is labelled with the recipe's hash, and its tarball stays under the cache folder
 * (~/.cache/avtrz-images), so a later run imports it in seconds or finds it already there.
 *
 * Only the stand-in carries this machine's CA bundle (and NODE_EXTRA_CA_CERTS pointing at it): the
 * registries are reached here through TLS that bundle vouches for. The Dockerfile does not depend on it.
 */
export const STANDIN_TAG = 'node:24-bookworm-slim';
const NPM_VERSION = '11.21.2';
const DEBIAN_MIRROR = 'http://deb.debian.org/debian';
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
/** What debootstrap leaves that no container needs. */
const TRIM = ['var/cache/apt/archives', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'usr/share/info'];

/** The recipe's hash: this file, the Node version copied in, the host CA bundle. */
export function standinRecipeHash(): string {
  return createHash('sha256')
    .update(readFileSync(new URL(import.meta.url)))
    .update(process.version)
    .update(readFileSync(CA_BUNDLE))
    .digest('hex')
    .slice(0, 16);
}

/** Makes sure the stand-in is in podman's storage; returns how it got there. */
export async function ensureNodeBaseStandin(
  log: (line: string) => void = () => {},
): Promise<'present' | 'imported' | 'built'> {
  const hash = standinRecipeHash();
  const label = await podman(['image', 'inspect', '--format', '{{index .Labels "avtrz.recipe"}}', STANDIN_TAG]);
  if (label.code === 0 && label.stdout.trim() === hash) return 'present';
  const tarball = join(imageCacheDir, `node-24-bookworm-slim-${hash}.tar`);
  let how: 'imported' | 'built' = 'imported';
  if (!existsSync(tarball)) {
    log(`building the ${STANDIN_TAG} stand-in (debootstrap, ~1 min) into ${tarball}`);
    await buildTarball(tarball, log);
    how = 'built';
  }
  await podmanOk([
    'import',
    '--change',
    'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin',
    '--change',
    `ENV NODE_EXTRA_CA_CERTS=${CA_BUNDLE}`,
    '--change',
    `LABEL avtrz.recipe=${hash}`,
    '--change',
    'CMD ["node"]',
    tarball,
    STANDIN_TAG,
  ]);
  return how;
}

async function buildTarball(tarball: string, log: (line: string) => void): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'avtrz-standin-'));
  const rootfs = join(work, 'rootfs');
  try {
    await run(
      'debootstrap',
      ['--variant=minbase', '--include=ca-certificates', 'bookworm', rootfs, DEBIAN_MIRROR],
      log,
    );
    await copyFile(process.execPath, join(rootfs, 'usr/local/bin/node'));
    await run('chmod', ['755', join(rootfs, 'usr/local/bin/node')], log);
    await installNpm(rootfs, work, log);
    await copyFile(CA_BUNDLE, join(rootfs, CA_BUNDLE));
    await appendFile(join(rootfs, 'etc/passwd'), 'node:x:1000:1000::/home/node:/bin/sh\n');
    await appendFile(join(rootfs, 'etc/group'), 'node:x:1000:\n');
    await mkdir(join(rootfs, 'home/node'), { recursive: true });
    await run('chown', ['1000:1000', join(rootfs, 'home/node')], log);
    for (const path of TRIM) await rm(join(rootfs, path), { recursive: true, force: true });
    const partial = `${tarball}.partial`;
    await run('tar', ['--numeric-owner', '-C', rootfs, '-cf', partial, '.'], log);
    await rename(partial, tarball);
    // Tarballs of earlier recipes are never used again.
    for (const file of await readdir(imageCacheDir)) {
      if (/^node-24-bookworm-slim-.*\.tar/.test(file) && join(imageCacheDir, file) !== tarball)
        await rm(join(imageCacheDir, file), { force: true });
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function installNpm(rootfs: string, work: string, log: (line: string) => void): Promise<void> {
  await run('npm', ['pack', '--silent', `npm@${NPM_VERSION}`, '--pack-destination', work], log);
  const target = join(rootfs, 'usr/local/lib/node_modules/npm');
  await mkdir(target, { recursive: true });
  await run('tar', ['-xzf', join(work, `npm-${NPM_VERSION}.tgz`), '-C', target, '--strip-components=1'], log);
  for (const [bin, file] of [
    ['npm', 'npm-cli.js'],
    ['npx', 'npx-cli.js'],
  ] as const) {
    await rm(join(rootfs, 'usr/local/bin', bin), { force: true });
    await run('ln', ['-s', `../lib/node_modules/npm/bin/${file}`, join(rootfs, 'usr/local/bin', bin)], log);
  }
}

function run(command: string, args: string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (c: Buffer) => {
      output = (output + c.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else {
        log(output);
        reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output}`));
      }
    });
  });
}
