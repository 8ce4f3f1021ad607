import { sql } from 'kysely';
import type { Db } from './client.ts';
import { pendingMigrations } from './sql-migrations.ts';

/** Handles whose schema was found current: applied migrations stay applied, so it is checked once. */
const migrationsCurrent = new WeakSet<Db>();

/**
 * Why the database cannot serve this build yet, or undefined when it can (for /readyz). The caller
 * bounds how long it waits (health-routes.ts): a database that does not answer is not ready.
 */
export async function databaseNotReadyReason(db: Db): Promise<string | undefined> {
  try {
    await sql`select 1`.execute(db);
  } catch {
    return 'database unreachable';
  }
  if (migrationsCurrent.has(db)) return undefined;
  const pending = await pendingMigrations(db);
  if (pending.length > 0) return `migrations pending: ${pending.join(', ')}`;
  migrationsCurrent.add(db);
  return undefined;
}
