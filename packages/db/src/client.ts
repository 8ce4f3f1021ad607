import { Kysely } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import { countingDialect, createPoolStats, type PoolStats } from './pool-stats.ts';
import type { Database } from './schema/database.ts';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  /** Typed query builder; every query function in this package takes it (or a transaction) first. */
  readonly db: Db;
  /** The raw driver, for LISTEN/NOTIFY and the few statements Kysely cannot express. */
  readonly sql: postgres.Sql;
  readonly url: string;
  /** Connections busy and waiting, queries and failures: read by the metrics. */
  readonly pool: PoolStats;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Pool size; the hot path uses few connections because it is served from memory. Default 10. */
  max?: number;
  /** Shown in pg_stat_activity, so an operator can tell the apps apart. */
  applicationName?: string;
}

/**
 * Seconds between a postgres.js connection's attempts to reconnect. The driver's default waits up to
 * 20 s once a few attempts have failed, so after an outage of some seconds every connection (the
 * listening one too) came back long after the database. Half a second at most is cheap and prompt.
 */
export const reconnectBackoff = (retries: number): number => Math.min(0.05 * 2 ** retries, 0.5);

/** Opens a pool. Nothing connects until the first query, so creating a handle never fails. */
export function openDatabase(url: string, options: DatabaseOptions = {}): DatabaseHandle {
  const max = options.max ?? 10;
  const sql = postgres(url, {
    max,
    connection: { application_name: options.applicationName ?? 'avtrz' },
    onnotice: () => {},
    connect_timeout: 5,
    backoff: reconnectBackoff,
    // `date` columns hold calendar months; keep them as 'YYYY-MM-DD' text instead of local-time Dates.
    types: {
      date: {
        to: 1082,
        from: [1082],
        serialize: (value: string) => value,
        parse: (value: string) => value,
      },
    },
  });
  const pool = createPoolStats(max);
  const db = new Kysely<Database>({
    dialect: countingDialect(new PostgresJSDialect({ postgres: sql }), pool),
    log: (event) => {
      pool.queries++;
      if (event.level === 'error') pool.errors++;
    },
  });
  return {
    db,
    sql,
    url,
    pool,
    async close() {
      // After an outage the driver can wait forever on a half-open connection: give queries 5 s.
      await sql.end({ timeout: 5 });
      await db.destroy();
    },
  };
}
