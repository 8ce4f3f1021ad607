import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import { Logger, runMigrations as runWorkerMigrations } from 'graphile-worker';
import pg from 'pg';
import type { Db } from './client.ts';

const silentWorkerLogger = new Logger(() => () => {});
const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Numbered plain-SQL files; frozen once released, so they never import application code. */
class SqlFileMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const text = await readFile(migrationsDir + file, 'utf8');
      migrations[file.replace(/\.sql$/, '')] = {
        async up(db) {
          // The driver sends prepared statements, one command each, so a file runs statement by statement.
          for (const statement of splitStatements(text)) await sql.raw(statement).execute(db);
        },
      };
    }
    return migrations;
  }
}

/** Statements end with `;` at the end of a line; `--` comment lines are dropped. */
export function splitStatements(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean);
}

function migrator(db: Db): Migrator {
  return new Migrator({ db, provider: new SqlFileMigrationProvider() });
}

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

/** Names of migrations not yet applied; empty when the schema is current (used by /readyz). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const all = await migrator(db).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
