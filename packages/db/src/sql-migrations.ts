import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import type { Db } from './client.ts';

// Kept apart from migrate.ts (which also runs Graphile Worker's migrations) so that /readyz in the
// API does not load Graphile Worker and node-postgres, ~25 MB of memory the API never uses otherwise.

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

/**
 * Statements end with `;` at the end of a line, except inside a `$$`-quoted body (a function's);
 * `--` comment lines are dropped.
 */
export function splitStatements(text: string): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  let inBody = false;
  for (const line of text.split('\n')) {
    if (!inBody && line.trimStart().startsWith('--')) continue;
    current.push(line);
    // An odd number of `$$` on a line opens or closes a body.
    if ((line.split('$$').length - 1) % 2 === 1) inBody = !inBody;
    if (!inBody && /;\s*$/.test(line)) {
      statements.push(current.join('\n').replace(/;\s*$/, ''));
      current = [];
    }
  }
  statements.push(current.join('\n'));
  return statements.map((s) => s.trim()).filter(Boolean);
}

export function migrator(db: Db): Migrator {
  return new Migrator({ db, provider: new SqlFileMigrationProvider() });
}

/** Names of migrations not yet applied; empty when the schema is current (used by /readyz). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const all = await migrator(db).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
