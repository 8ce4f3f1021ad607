import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from '@avtrz/db/client';
import { findKeyForRequestById, type KeyForRequest } from '@avtrz/db/queries/key-lookup.queries';

/** Helpers of the usage, quota and rate-limit tests. */

export interface UsageTotals {
  billable: number;
  notModified: number;
  fallbacks: number;
  newProfiles: number;
  rejected: number;
}

/** A key's counts in usage_hourly, summed over hours. */
export async function usageOfKey(db: Db, keyId: string): Promise<UsageTotals> {
  const result = await sql<UsageTotals>`
    select coalesce(sum(billable), 0)::int as billable, coalesce(sum(not_modified), 0)::int as "notModified",
      coalesce(sum(fallbacks), 0)::int as fallbacks, coalesce(sum(new_profiles), 0)::int as "newProfiles",
      coalesce(sum(rejected), 0)::int as rejected
    from usage_hourly where key_id = ${keyId}::uuid`.execute(db);
  return result.rows[0] as UsageTotals;
}

/** The key as the API sees it (with its workspace's plan), for tests that drive Metering directly. */
export async function loadKeyForRequest(db: Db, keyId: string): Promise<KeyForRequest> {
  const key = await findKeyForRequestById(db, keyId);
  if (!key) throw new Error(`no key ${keyId}`);
  return key;
}

/**
 * Rate limits count per UTC minute: a test that must stay inside one minute waits (at most
 * `seconds`) until that much of the current minute is left.
 */
export async function awaitMinuteWithRoom(seconds: number): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < seconds * 1000) await new Promise((r) => setTimeout(r, left + 50));
}

export async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface ApiProcess {
  readonly url: string;
  readonly pid: number;
  /** Every line the process wrote to stdout so far (its logs, the access log among them). */
  stdoutLines(): readonly string[];
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const mainFile = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

/** `node apps/api/src/main.ts` against the database, as production runs any number side by side. */
export async function startApiProcess(databaseUrl: string, env: Record<string, string> = {}): Promise<ApiProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'avtrz-api-process-'));
  const child = spawn(process.execPath, [mainFile], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      API_PORT: '0',
      HOST: '127.0.0.1',
      PUBLIC_CDN_URL: 'https://cdn.avtrz.test/cdn',
      RESOLVE_WAIT_MS: '200',
      LOG_LEVEL: 'info',
      METRICS_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const logs: string[] = [];
  const stdout: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const linesClosed = once(lines, 'close').catch(() => {});
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`api process did not start: ${logs.join('')}`)), 20_000);
    lines.on('line', (line) => {
      logs.push(line);
      stdout.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'api listening' && entry.url) {
          clearTimeout(timer);
          resolve(entry.url);
        }
      } catch {
        // not a log line
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`api process exited with ${code}: ${logs.join('\n')}`));
    });
  });
  let stopped: Promise<number | null> | undefined;
  return {
    url,
    pid: child.pid as number,
    stdoutLines: () => stdout,
    stop(signal = 'SIGTERM') {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        const code = await exited;
        // The last lines may still be on their way through the pipe.
        await linesClosed;
        await rm(dataDir, { recursive: true, force: true });
        return code;
      })();
      return stopped;
    },
  };
}
