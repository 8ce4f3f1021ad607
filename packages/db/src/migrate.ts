import { Logger, runMigrations as runWorkerMigrations } from 'graphile-worker';
import pg from 'pg';
import type { Db } from './client.ts';
import { migrator } from './sql-migrations.ts';

const silentWorkerLogger = new Logger(() => () => {});

/**
 * Brings the product schema and Graphile Worker's schema up to date. Safe to run from many processes
 * at once: Kysely and Graphile Worker each hold an advisory lock while they migrate.
 */
export async function migrateToLatest(db: Db, connectionString: string): Promise<void> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Our own pool, ended before returning: with only a connection string Graphile Worker ends its pool
  // without waiting, and a server stopped right after (a CLI command) would fail that idle connection.
  // Connection errors surface as failed queries; the listeners only keep them from crashing the process.
  const pool = new pg.Pool({ connectionString, max: 1 });
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  try {
    await runWorkerMigrations({ pgPool: pool, logger: silentWorkerLogger });
  } finally {
    await pool.end();
  }
}
