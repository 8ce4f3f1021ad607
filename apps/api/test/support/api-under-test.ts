import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatabaseHandle, openDatabase } from '@avtrz/db/client';
import type { TestDatabase } from '@avtrz/db/testing';
import { type Config, loadConfig } from '@avtrz/shared/config';
import { createLogger } from '@avtrz/shared/logger';
import { createImageStorage } from '@avtrz/shared/storage/create-image-storage';
import type { ImageStorage } from '@avtrz/shared/storage/image-storage';
import { startApiServer } from '../../src/server.ts';

/** Locations point at another host, as with a real CDN in front: the origin still answers its path. */
export const TEST_CDN_URL = 'https://cdn.avtrz.test/cdn';

export interface ApiUnderTest {
  readonly url: string;
  readonly config: Config;
  readonly storage: ImageStorage;
  /** GET (or another method) on the running server over a real socket. */
  request(pathAndQuery: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The real API on 127.0.0.1 (port 0) against the test file's database. `ownPool` gives the app its
 * own connection pool and listener, as a separate API process would have.
 */
export async function startApiUnderTest(
  database: TestDatabase,
  options: { env?: Record<string, string>; ownPool?: boolean; dataDir?: string } = {},
): Promise<ApiUnderTest> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'avtrz-api-test-')));
  const config = loadConfig({
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    PUBLIC_CDN_URL: TEST_CDN_URL,
    RESOLVE_WAIT_MS: '400',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const logger = createLogger({ name: 'api-test', level: process.env.AVTRZ_TEST_LOG ?? 'silent', pretty: false });
  const ownPool = options.ownPool === true;
  const handle: DatabaseHandle = ownPool ? openDatabase(database.url, { applicationName: 'avtrz-api-test' }) : database;
  const server = await startApiServer({ config, database: handle, logger }, 0);
  return {
    url: server.url,
    config,
    storage: await createImageStorage(config.storage),
    request: (pathAndQuery, init) => fetch(`${server.url}${pathAndQuery}`, { redirect: 'manual', ...init }),
    async close() {
      await server.close();
      if (ownPool) await handle.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
