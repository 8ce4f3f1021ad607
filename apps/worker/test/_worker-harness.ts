import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '@avtrz/db/client';
import type { ProfileRow } from '@avtrz/db/schema';
import { loadConfig, type Config } from '@avtrz/shared/config';
import { createLogger } from '@avtrz/shared/logger';
import type { FakeLinkedin } from '@avtrz/shared/testing/fake-linkedin';
import type { TestDatabase } from '@avtrz/db/testing';
import { startWorker, type RunningWorker, type WorkerDeps } from '../src/worker.ts';

/** The environment a worker gets in these tests: the fake LinkedIn, images under a fresh DATA_DIR. */
export function testEnv(fake: FakeLinkedin, dataDir: string, databaseUrl: string, extra: Record<string, string> = {}) {
  return {
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    LINKEDIN_BASE_URL: fake.baseUrl,
    UPSTREAM_IMAGE_HOSTS: fake.imageHost,
    UPSTREAM_ALLOW_PRIVATE: 'true',
    UPSTREAM_TIMEOUT_MS: '1500',
    UPSTREAM_MAX_BYTES: String(2 * 1024 * 1024),
    WORKER_CONCURRENCY: '4',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

export async function makeDataDir(): Promise<{
  dir: string;
  imageFiles(): Promise<string[]>;
  remove(): Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'avtrz-worker-'));
  return {
    dir,
    async imageFiles() {
      const root = join(dir, 'images');
      const fans = await readdir(root).catch(() => [] as string[]);
      const files = await Promise.all(fans.map((f) => readdir(join(root, f))));
      return files
        .flat()
        .filter((f) => !f.endsWith('.tmp'))
        .sort();
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function startTestWorker(
  database: TestDatabase,
  config: Config,
  overrides: Partial<WorkerDeps> = {},
): Promise<RunningWorker> {
  return startWorker({
    config,
    database,
    logger: createLogger({ name: 'worker-test', level: 'warn', pretty: false }),
    ...overrides,
  });
}

export function configFor(env: Record<string, string>): Config {
  return loadConfig(env);
}

/** Polls the profile row until `done` says so (the worker notifies too; polling keeps tests simple). */
export async function waitForProfile(
  db: Db,
  handle: string,
  done: (row: ProfileRow) => boolean,
  timeoutMs = 15_000,
): Promise<ProfileRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await db.selectFrom('profiles').selectAll().where('handle', '=', handle).executeTakeFirst();
    if (row && done(row)) return row;
    if (Date.now() > deadline) throw new Error(`profile ${handle} did not settle: ${JSON.stringify(row)}`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

export const settled = (row: ProfileRow) => row.status !== 'pending';
