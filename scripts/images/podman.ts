import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Podman as it runs on machines without a Docker engine (Debian's podman as root): runc (crun refuses
 * hybrid cgroups), cgroupfs, the host network, and a containers.conf with no default ulimits
 * (setrlimit is not permitted). Images live in a storage of their own under the cache folder, so the
 * stand-in base tagged `node:24-bookworm-slim` never collides with other images on the machine, and
 * survives between runs.
 *
 * Storage: overlay where the kernel allows it (an ext4 root does), else vfs, which works everywhere but
 * copies the whole file system for every layer and every container (a `podman run` of the 370 MB
 * image then takes from seconds to a minute on a busy machine). `chooseStorage` decides once per run.
 */
export const imageCacheDir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'avtrz-images');
export type StorageDriver = 'overlay' | 'vfs';

let driver: StorageDriver = 'overlay';
const containersConf = join(imageCacheDir, 'containers.conf');

export const storageDriver = (): StorageDriver => driver;

export function useStorageDriver(next: StorageDriver): void {
  driver = next;
}

function globalArgs(): string[] {
  mkdirSync(imageCacheDir, { recursive: true });
  writeFileSync(containersConf, '[containers]\ndefault_ulimits = []\n');
  return [
    '--runtime=runc',
    '--cgroup-manager=cgroupfs',
    `--storage-driver=${driver}`,
    `--root=${join(imageCacheDir, `storage-${driver}`)}`,
    `--runroot=${join(tmpdir(), `avtrz-podman-${driver}-${process.getuid?.() ?? 0}`)}`,
  ];
}

const podmanEnv = () => ({ ...process.env, CONTAINERS_CONF: containersConf });

/** Why podman cannot run containers here, or undefined when it can. */
export function podmanUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return `podman runs containers on Linux only (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'podman is set up here to run as root (vfs storage, cgroupfs)';
  const version = spawnSync('podman', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return 'podman is not installed (apt-get install podman runc)';
  const runc = spawnSync('runc', ['--version'], { encoding: 'utf8' });
  if (runc.error || runc.status !== 0) return 'runc is not installed (apt-get install runc)';
  return undefined;
}

export interface PodmanResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `podman <args>` to the end; `onOutput` sees its output as it comes, `inputFile` is its stdin. */
export function podman(
  args: string[],
  options: { onOutput?: (text: string) => void; inputFile?: string } = {},
): Promise<PodmanResult> {
  return new Promise((resolve, reject) => {
    const input = options.inputFile === undefined ? 'ignore' : openSync(options.inputFile, 'r');
    const child = spawn('podman', [...globalArgs(), ...args], { env: podmanEnv(), stdio: [input, 'pipe', 'pipe'] });
    if (typeof input === 'number') closeSync(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      options.onOutput?.(c);
    });
    child.stderr!.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
      options.onOutput?.(c);
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Like `podman`, but a non-zero exit is an error that carries the output's tail. */
export async function podmanOk(
  args: string[],
  options: { onOutput?: (text: string) => void; inputFile?: string } = {},
): Promise<string> {
  const result = await podman(args, options);
  if (result.code !== 0) {
    const tail = (result.stdout + result.stderr).slice(-4000);
    throw new Error(`podman ${args.slice(0, 3).join(' ')} … exited ${result.code}:\n${tail}`);
  }
  return result.stdout;
}
