import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** USER_HZ: 100 on every Linux we run on (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_SECOND = 100;

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /**
   * Resident memory now and at its peak, in MB, of the largest process of the tree (an API_PROCESSES
   * supervisor's children count one by one); undefined where there is no /proc.
   */
  memory(): Promise<{ rssMb: number; peakMb: number } | undefined>;
  /** CPU time the process and its children have used so far (user + system), in seconds. */
  cpuSeconds(): Promise<number | undefined>;
  stop(): Promise<void>;
}

/** Starts `node <script>` and waits until `readyPath` answers; its output is kept for errors. */
export async function startServerProcess(options: {
  script: string;
  args?: string[];
  /** Flags for node itself, e.g. `--cpu-prof` to profile the process under load. */
  nodeFlags?: string[];
  env?: Record<string, string>;
  /** The environment the settings above are laid on; default this process's. */
  baseEnv?: NodeJS.ProcessEnv;
  url: string;
  readyPath: string;
  /** Where the process's stdout goes (its logs): a file, as a log collector would take them. */
  stdoutFile?: string;
}): Promise<ServerProcess> {
  const stdoutFd = options.stdoutFile ? openSync(options.stdoutFile, 'a') : undefined;
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeFlags ?? []), options.script, ...(options.args ?? [])],
    {
      cwd: repositoryRoot,
      env: { ...(options.baseEnv ?? process.env), ...options.env },
      stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'],
    },
  );
  if (stdoutFd !== undefined) closeSync(stdoutFd);
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-8000)));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-8000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.script} exited with ${child.exitCode}:\n${output}`);
    const ok = await fetch(`${options.url}${options.readyPath}`, { redirect: 'manual' }).then(
      (r) => r.status < 500,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.script} did not become ready:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = child.pid as number;
  return {
    url: options.url,
    pid,
    async memory() {
      const all = (await Promise.all((await treeOf(pid)).map(memoryOf))).filter((m) => m !== undefined);
      if (all.length === 0) return undefined;
      return { rssMb: Math.max(...all.map((m) => m.rssMb)), peakMb: Math.max(...all.map((m) => m.peakMb)) };
    },
    async cpuSeconds() {
      const all = await Promise.all((await treeOf(pid)).map(cpuSecondsOf));
      if (all.some((c) => c === undefined)) return undefined;
      return (all as number[]).reduce((a, b) => a + b, 0);
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The process and its descendants (from /proc/<pid>/task/<pid>/children). */
async function treeOf(pid: number): Promise<number[]> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  const direct = children.split(' ').filter(Boolean).map(Number);
  return [pid, ...(await Promise.all(direct.map(treeOf))).flat()];
}

async function memoryOf(pid: number): Promise<{ rssMb: number; peakMb: number } | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  if (!status) return undefined;
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

async function cpuSecondsOf(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (!stat) return undefined;
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}
