import { join } from 'node:path';
import { type DatabaseHandle, openDatabase } from '@avtrz/db/client';
import { findRunningEmbeddedPostgres, startEmbeddedPostgres } from '@avtrz/db/embedded';
import { migrateToLatest } from '@avtrz/db/migrate';
import type { Config } from '@avtrz/shared/config';

/**
 * The database the CLI works on, the one the apps use: DATABASE_URL, else the embedded server under
 * DATA_DIR. When an all-in-one start is already running on that folder the CLI connects to its server
 * (never a second server on the same files); otherwise it starts the server for the command and stops
 * it afterwards. The schema is brought up to date first, so a fresh installation can be bootstrapped.
 */
export async function openCliDatabase(config: Config, note: (text: string) => void): Promise<DatabaseHandle> {
  if (config.databaseUrl) return migrated(openDatabase(config.databaseUrl, { max: 2, applicationName: 'avtrz-cli' }));
  const running = await findRunningEmbeddedPostgres(config.dataDir);
  if (running) {
    note(`Using the embedded PostgreSQL already running for ${config.dataDir} (pid ${running.pid}).`);
    return migrated(openDatabase(running.url, { max: 2, applicationName: 'avtrz-cli' }));
  }
  note(`Starting the embedded PostgreSQL in ${join(config.dataDir, 'pg')} for this command…`);
  const server = await startEmbeddedPostgres({ dataDir: config.dataDir });
  try {
    const handle = await migrated(openDatabase(server.url, { max: 2, applicationName: 'avtrz-cli' }));
    return {
      ...handle,
      async close() {
        await handle.close();
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

async function migrated(handle: DatabaseHandle): Promise<DatabaseHandle> {
  try {
    await migrateToLatest(handle.db, handle.url);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}
