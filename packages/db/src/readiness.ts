import { sql } from 'kysely';
import type { Db } from './client.ts';
import { pendingMigrations } from './sql-migrations.ts';

/** Why the database cannot serve this build yet, or undefined when it can (for /readyz). */
export async function databaseNotReadyReason(db: Db): Promise<string | undefined> {
  try {
    await sql`select 1`.execute(db);
  } catch {
    return 'database unreachable';
  }
  const pending = await pendingMigrations(db);
  return pending.length > 0 ? `migrations pending: ${pending.join(', ')}` : undefined;
}
