import type { DatabaseConnection, Dialect, Driver } from 'kysely';

/** The pool as the query builder sees it, in plain counters read by the metrics (CONTRACT §9). */
export interface PoolStats {
  /** Most connections the pool opens. */
  readonly max: number;
  /** Connections checked out by a query or transaction now. */
  busy: number;
  /** Queries waiting for a connection now. */
  waiting: number;
  /** Queries run, and those that failed (since start). */
  queries: number;
  errors: number;
}

export function createPoolStats(max: number): PoolStats {
  return { max, busy: 0, waiting: 0, queries: 0, errors: 0 };
}

/** The dialect with its driver's acquire and release counted: busy and waiting without driver internals. */
export function countingDialect(inner: Dialect, stats: PoolStats): Dialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createIntrospector: (db) => inner.createIntrospector(db),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createDriver(): Driver {
      const driver = inner.createDriver();
      const acquire = driver.acquireConnection.bind(driver);
      const release = driver.releaseConnection.bind(driver);
      driver.acquireConnection = async (): Promise<DatabaseConnection> => {
        stats.waiting++;
        try {
          const connection = await acquire();
          stats.busy++;
          return connection;
        } finally {
          stats.waiting--;
        }
      };
      driver.releaseConnection = async (connection) => {
        stats.busy--;
        await release(connection);
      };
      return driver;
    },
  };
}
