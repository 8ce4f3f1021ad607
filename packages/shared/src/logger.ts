import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Log lines are handed to an asynchronous, batched writer: one write per 8 KB (or every 250 ms when
 * traffic is light) instead of one blocking write per line, which had cost the API about 40 % of its
 * CPU with one access-log line per request. pino flushes the buffer synchronously when the process
 * exits (a clean stop, process.exit, an uncaught error); only a kill -9 loses the last buffer.
 */
const BATCH = { minLength: 8192, periodicFlush: 250 } as const;

/** JSON logs for machines; readable lines when a person is watching a terminal. */
export function createLogger(options: {
  name: string;
  level?: string;
  pretty?: boolean;
  /** Where lines go; default stdout (fd 1). A path or a descriptor. */
  destination?: string | number;
}): Logger {
  const pretty = options.pretty ?? (options.destination === undefined && process.stdout.isTTY === true);
  const settings = {
    name: options.name,
    level: options.level ?? 'info',
    redact: { paths: ['req.headers["x-api-key"]', 'req.headers.authorization', 'key'], censor: '[redacted]' },
  };
  if (pretty) {
    // pino-pretty runs in a worker thread: already off the main thread.
    return pino({
      ...settings,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } },
    });
  }
  return pino(settings, pino.destination({ dest: options.destination ?? 1, sync: false, ...BATCH }));
}

/**
 * Writes an already formatted JSON line (ending in a newline) to the logger's own destination, after
 * what was logged before it. For the access log, which formats its few fields itself.
 */
export function writeRawLine(logger: Logger, line: string): void {
  ((logger as unknown as Record<symbol, DestinationStream>)[pino.symbols.streamSym] as DestinationStream).write(line);
}

/** The logger's fixed fields (pid, hostname, name, child bindings) as JSON text: `,"pid":1,…`. */
export function bindingsJsonOf(logger: Logger): string {
  return (logger as unknown as Record<symbol, string>)[pino.symbols.chindingsSym] ?? '';
}
