import { readFile } from 'node:fs/promises';
import { podman, podmanOk } from '../images/podman.ts';

/** Containers started by the image test: on the host network (they reach the test's PostgreSQL and fake
 * LinkedIn on loopback), with a read-only root file system and a tmpfs /tmp, removed at the end. */
export interface ContainerRun {
  name: string;
  image: string;
  command: string[];
  env: Record<string, string>;
  volumes?: string[];
}

export function runArgs(run: ContainerRun): string[] {
  return [
    '--name',
    run.name,
    '--network=host',
    '--read-only',
    '--tmpfs=/tmp:rw,size=64m',
    // The image's HEALTHCHECK needs systemd timers under podman; the test asks /readyz itself.
    '--no-healthcheck',
    ...Object.entries(run.env).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
    ...(run.volumes ?? []).flatMap((v) => ['--volume', v]),
    run.image,
    ...run.command,
  ];
}

/** Runs a container to its end (the migration, a CLI command); returns its output and exit code. */
export async function runToEnd(run: ContainerRun) {
  const result = await podman(['run', '--rm', ...runArgs(run)]);
  return result;
}

export async function startDetached(run: ContainerRun): Promise<void> {
  await podmanOk(['run', '--detach', ...runArgs(run)]);
}

export async function logs(name: string): Promise<string> {
  const result = await podman(['logs', name]);
  return result.stdout + result.stderr;
}

export async function inspect(name: string, format: string): Promise<string> {
  return (await podmanOk(['inspect', '--format', format, name])).trim();
}

/** Resident memory of the container's main process, read from the host's /proc. */
export async function residentMiB(name: string): Promise<number> {
  const pid = await inspect(name, '{{.State.Pid}}');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** `podman stop` sends SIGTERM and waits up to `seconds` before SIGKILL; how long it took and the exit code. */
export async function stopWithin(name: string, seconds: number): Promise<{ ms: number; exitCode: number }> {
  const started = performance.now();
  await podmanOk(['stop', '--time', String(seconds), name]);
  const ms = performance.now() - started;
  return { ms, exitCode: Number(await inspect(name, '{{.State.ExitCode}}')) };
}

export async function removeContainers(names: string[]): Promise<void> {
  if (names.length > 0) await podman(['rm', '--force', '--time', '0', ...names]);
}
