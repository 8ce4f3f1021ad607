import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** One app run as production runs it: `node apps/<app>/src/main.ts`, its own process. */
export interface AppProcess {
  readonly name: string;
  readonly child: ChildProcess;
  output(): string;
  /** Whether the process is still running. */
  alive(): boolean;
  /** SIGTERM, then the exit code (or signal name). */
  stop(): Promise<number | string>;
}

export function startApp(name: string, script: string, env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, [script], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer) => {
    // The last 200 kB are plenty to tell what went wrong.
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return {
    name,
    child,
    output: () => output,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Polls `check` every `everyMs` until it holds; rejects with `what` after `timeoutMs`. */
export async function until(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
  everyMs = 50,
): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return Date.now() - started;
}

export interface Answer {
  readonly at: number;
  readonly status: number;
  readonly ms: number;
  readonly location?: string | null;
}

/** A GET that never throws: a network failure or a timeout is status 0. */
export async function get(url: string, headers: Record<string, string> = {}, timeoutMs = 5000): Promise<Answer> {
  const at = Date.now();
  try {
    const response = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return { at, status: response.status, ms: Date.now() - at, location: response.headers.get('location') };
  } catch {
    return { at, status: 0, ms: Date.now() - at };
  }
}

/**
 * Bounded load: `clients` loops, each sending one request at a time and pausing `pauseMs` between
 * them, until stopped. Every answer is kept.
 */
export function startLoad(
  next: (i: number) => { url: string; headers: Record<string, string> },
  options: { clients: number; pauseMs: number },
): { answers: Answer[]; stop(): Promise<void> } {
  const answers: Answer[] = [];
  let running = true;
  let n = 0;
  const loops = Array.from({ length: options.clients }, async () => {
    while (running) {
      const { url, headers } = next(n++);
      answers.push(await get(url, headers));
      await new Promise((r) => setTimeout(r, options.pauseMs));
    }
  });
  return {
    answers,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}
