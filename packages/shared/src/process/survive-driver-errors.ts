import type { Logger } from '../logger.ts';

/**
 * A lost database is an outage to wait out, never a reason to exit (CONTRACT §6: processes keep serving
 * what they hold and reconnect by themselves). Yet the drivers let some connection failures escape
 * every caller: postgres.js leaves a promise unhandled when a connection dies while it is being opened,
 * Graphile Worker does not await its calls that complete or fail a job, and postgres.js 3.4.9 could
 * throw from a timer when a connection closed with a write pending (patched, see pnpm-workspace.yaml).
 *
 * Such errors are logged; any other unhandled rejection or uncaught exception still stops the process,
 * as Node does by default.
 */
export function surviveDriverConnectionErrors(logger: Logger): void {
  process.on('unhandledRejection', (reason) => {
    if (isDatabaseConnectionError(reason)) {
      logger.warn({ err: reason }, 'database connection lost; waiting for it to come back');
      return;
    }
    throw reason;
  });
  process.on('uncaughtException', (error) => {
    if (isDriverSocketCrash(error)) {
      logger.error({ err: error }, 'the database driver failed on a closed connection; carrying on');
      return;
    }
    logger.fatal({ err: error }, 'uncaught exception');
    logger.flush?.();
    process.exit(1);
  });
}

/** postgres.js's own connection codes (CONNECTION_CLOSED, …) and the socket's. */
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/** SQLSTATEs of a server that is going or not there yet: class 08 (connection), 57P01–57P03 (shutdown, starting). */
const SERVER_GONE = /^(08...|57P0[123])$/;
/** node-postgres reports a dropped or timed-out connection by message alone. */
const PG_CONNECTION_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/** Whether an error says the database connection was lost or could not be made (any of our drivers). */
export function isDatabaseConnectionError(reason: unknown): boolean {
  if (!(reason instanceof Error)) return false;
  const { code } = reason as Error & { code?: unknown };
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || SERVER_GONE.test(code))) return true;
  return PG_CONNECTION_MESSAGES.test(reason.message);
}

/** The TypeError postgres.js 3.4.9 throws from its write timer once the socket is gone. */
function isDriverSocketCrash(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    /reading 'write'|evaluating 'socket\.write'/.test(error.message) &&
    /postgres[/\\](cjs[/\\])?src[/\\]connection\.js/.test(error.stack ?? '')
  );
}
