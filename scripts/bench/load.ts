import { spawn } from 'node:child_process';

export interface LoadOptions {
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly connections: number;
  readonly seconds: number;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Socket errors and timeouts. */
  readonly errors: number;
  /**
   * Count of answers by status, to prove the load got the answer it was meant to: exact statuses when
   * the server's metrics gave them, else wrk's split into `2xx/3xx` and `other`.
   */
  readonly statuses: Record<string, number>;
}

/**
 * Loads a URL over loopback with wrk (one thread: it needs a small share of a core, where a Node load
 * generator would take as much CPU as the server it measures). Status counting in a wrk script would
 * cost wrk per answer; wrk counts answers outside 2xx/3xx by itself.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const args = ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency', '--timeout', '10s'];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}: ${value}`);
  args.push(options.url);
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.once('error', (error) =>
      reject(new Error(`wrk could not be started (${error.message}): install it, e.g. apt-get install wrk`)),
    );
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`wrk exited with ${code}:\n${out}`))));
  });
  return parseWrkOutput(output);
}

/** Reads wrk's report (`--latency`). Exported for its test. */
export function parseWrkOutput(output: string): LoadResult {
  const total = Number(/(\d+) requests in /.exec(output)?.[1] ?? Number.NaN);
  const requestsPerSecond = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? Number.NaN);
  if (!Number.isFinite(total) || !Number.isFinite(requestsPerSecond))
    throw new Error(`unreadable wrk output:\n${output}`);
  const other = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const errors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  const statuses: Record<string, number> = { '2xx/3xx': total - other };
  if (other) statuses.other = other;
  return {
    requestsPerSecond,
    p50Ms: latencyMs(output, '50%'),
    p99Ms: latencyMs(output, '99%'),
    errors,
    statuses,
  };
}

function latencyMs(output: string, percentile: string): number {
  const match = new RegExp(`^\\s+${percentile}\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(output);
  if (!match) throw new Error(`no ${percentile} latency in wrk output:\n${output}`);
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}
