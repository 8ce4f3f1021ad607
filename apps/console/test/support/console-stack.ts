import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAdminServer } from '@avtrz/admin-graphql/server';
import { startApiServer } from '@avtrz/api/server';
import { freePort } from '@avtrz/db/embedded';
import { type TestDatabase, useTestDatabase } from '@avtrz/db/testing';
import { type Config, loadConfig } from '@avtrz/shared/config';
import type { RunningServer } from '@avtrz/shared/http/serve';
import { createLogger } from '@avtrz/shared/logger';
import { type FakeLinkedin, startFakeLinkedin } from '@avtrz/shared/testing/fake-linkedin';
import { startWorker } from '@avtrz/worker/worker';
import { afterAll, beforeAll } from 'vitest';
import { consoleDistDir } from '../../scripts/build-if-stale.ts';

export const OPERATOR_TOKEN = 'op_console-browser-test-token-0123456789';

export interface ConsoleStack {
  readonly database: TestDatabase;
  readonly config: Config;
  /** The console (the admin server), e.g. http://127.0.0.1:41234 */
  readonly consoleUrl: string;
  /** The public API. */
  readonly apiUrl: string;
}

/**
 * The real API, admin server (serving the console's build from dist/, made by the project's global
 * setup) and worker on free loopback ports, against the file's own database; LinkedIn is the fake
 * upstream, where every handle has a photo.
 */
export function useConsoleStack(): ConsoleStack {
  const database = useTestDatabase();
  let config: Config | undefined;
  let api: RunningServer | undefined;
  let admin: RunningServer | undefined;
  let dataDir: string | undefined;
  let linkedin: FakeLinkedin | undefined;
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'avtrz-console-test-'));
    linkedin = await startFakeLinkedin({ defaultProfile: { kind: 'photo' } });
    const apiPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    config = loadConfig({
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      API_PORT: String(apiPort),
      OPERATOR_TOKEN,
      PUBLIC_API_URL: apiUrl,
      PUBLIC_CDN_URL: `${apiUrl}/cdn`,
      // Counts reach the database quickly, so the usage page shows them within the test.
      USAGE_FLUSH_MS: '200',
      LINKEDIN_BASE_URL: linkedin.baseUrl,
      UPSTREAM_IMAGE_HOSTS: linkedin.imageHost,
      UPSTREAM_ALLOW_PRIVATE: 'true',
      LOG_LEVEL: 'silent',
    });
    const logger = createLogger({ name: 'console-test', level: 'silent', pretty: false });
    api = await startApiServer({ config, database, logger }, apiPort);
    admin = await startAdminServer({ config, database, logger, consoleDir: consoleDistDir }, 0);
    worker = await startWorker({ config, database, logger });
  }, 60_000);

  afterAll(async () => {
    await admin?.close();
    await api?.close();
    await worker?.stop();
    await linkedin?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const running = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the console stack runs only inside tests');
    return value;
  };
  return {
    database,
    get config() {
      return running(config);
    },
    get consoleUrl() {
      return running(admin).url;
    },
    get apiUrl() {
      return running(api).url;
    },
  };
}
