import type { Logger } from '@avtrz/shared/logger';
import { isDatabaseConnectionError } from '@avtrz/shared/process/survive-driver-errors';
import pg from 'pg';

export interface OutageWaitingPoolOptions {
  readonly connectionString: string;
  readonly max: number;
  readonly logger: Logger;
  /** Time between connection attempts while the database is away. Default 250 ms. */
  readonly retryMs?: number;
  /** How long a caller waits for the database before its connect fails after all. Default 5 minutes. */
  readonly maxWaitMs?: number;
}

/**
 * The pool Graphile Worker runs on, made to wait out a database outage: a connection that cannot be
 * opened because the database is away is tried again every `retryMs` instead of failing its caller.
 *
 * Graphile Worker does not await the calls that complete or fail a job, and retries none of the errors
 * of a refused connection; with its own pool, a job ending during an outage rejected with ECONNREFUSED
 * and stopped the process. Its LISTEN connection backed off to about a minute, so new jobs waited for
 * the 2 s poll long after the database was back. With this pool the calls wait and go through when
 * the database returns, and the listener is back within `retryMs`.
 */
export function createOutageWaitingPool(options: OutageWaitingPoolOptions): pg.Pool {
  const retryMs = options.retryMs ?? 250;
  const maxWaitMs = options.maxWaitMs ?? 5 * 60_000;
  const { logger } = options;
  let ended = false;
  /** Said once per outage, not once per attempt. */
  let away = false;

  class OutageWaitingPool extends pg.Pool {
    override connect(): Promise<pg.PoolClient>;
    override connect(
      callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void,
    ): void;
    override connect(
      callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void,
    ): Promise<pg.PoolClient> | void {
      const attempt = async (): Promise<pg.PoolClient> => {
        const giveUpAt = Date.now() + maxWaitMs;
        for (;;) {
          try {
            const client = await super.connect();
            if (away) logger.info('database back');
            away = false;
            return client;
          } catch (error) {
            if (ended || !isDatabaseConnectionError(error) || Date.now() > giveUpAt) throw error;
            if (!away) logger.warn({ err: error }, 'database away: jobs wait for it to come back');
            away = true;
            await new Promise((resolve) => setTimeout(resolve, retryMs));
          }
        }
      };
      if (!callback) return attempt();
      attempt().then(
        (client) => callback(undefined, client, (release) => client.release(release as Error | boolean | undefined)),
        (error: Error) => callback(error, undefined, () => {}),
      );
    }

    override end(): Promise<void> {
      ended = true;
      return super.end();
    }
  }

  const pool = new OutageWaitingPool({
    connectionString: options.connectionString,
    max: options.max,
    connectionTimeoutMillis: 5_000,
    application_name: 'avtrz-worker',
  });
  // An idle connection that dies (the database restarting) is reported here; without a listener the
  // pool's error event would stop the process.
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection lost'));
  // The same for a connection in use: its query fails, which its caller handles.
  pool.on('connect', (client) => client.on('error', (error) => logger.debug({ err: error }, 'connection lost')));
  return pool;
}
