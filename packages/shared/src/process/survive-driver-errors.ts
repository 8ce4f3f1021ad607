import type { Logger } from '../logger.ts';

/**
 * The PostgreSQL driver leaves a promise unhandled when a connection dies while it is being opened
 * (its type-list fetch). During a database outage that would crash the process, while CONTRACT §6 has
 * it keep serving what it holds in memory. Such driver errors are logged; any other unhandled
 * rejection still stops the process, as Node does by default.
 */
export function surviveDriverConnectionErrors(logger: Logger): void {
  process.on('unhandledRejection', (reason) => {
    if (isDriverConnectionError(reason)) {
      logger.warn({ err: reason }, 'database connection lost while it was being opened');
      return;
    }
    throw reason;
  });
}

const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

function isDriverConnectionError(reason: unknown): boolean {
  if (!(reason instanceof Error)) return false;
  const { code, query } = reason as Error & { code?: unknown; query?: unknown };
  return typeof code === 'string' && CONNECTION_CODES.has(code) && typeof query === 'string';
}
