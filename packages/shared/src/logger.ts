import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Log lines go to an asynchronous writer (sonic-boom, pino's own): written by the thread pool while
 * the process goes on, lines arriving meanwhile joining the next write, instead of one blocking write
 * per line, which had cost the API about 40 % of its CPU with one access-log line per request. pino
 * writes what is pending synchronously when the process exits (a clean stop, process.exit, an
 * uncaught error). The access log batches its own lines on top (createLineBatch).
 */

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
  return pino(settings, pino.destination({ dest: options.destination ?? 1, sync: false }));
}

type Destination = DestinationStream & { flushSync?: () => void };

const destinationOf = (logger: Logger) =>
  (logger as unknown as Record<symbol, Destination>)[pino.symbols.streamSym] as Destination;

export interface LineBatch {
  /** Adds a formatted line (ending in a newline); written with the batch. */
  write(line: string): void;
  /** Hands what is held to the logger's writer now. */
  flush(): void;
}

/**
 * Formatted lines held in memory and handed to the logger's destination `maxBytes` at a time (and at
 * least every `maxDelayMs`, and when the process exits): one write call per batch. The writer itself
 * costs per call about what the line costs to format (it measures its whole pending buffer each time).
 * A kill -9 loses at most one batch.
 */
export function createLineBatch(logger: Logger, options: { maxBytes?: number; maxDelayMs?: number } = {}): LineBatch {
  const destination = destinationOf(logger);
  // 64 KiB: about 350 lines, one write (and one hand-off to the thread pool) for each; at 20,000
  // answers a second that is a write every 17 ms, and what a kill -9 can lose.
  const maxBytes = options.maxBytes ?? 65_536;
  let lines: string[] = [];
  let bytes = 0;
  const flush = () => {
    if (lines.length === 0) return;
    const chunk = lines.join('');
    lines = [];
    bytes = 0;
    destination.write(chunk);
  };
  setInterval(flush, options.maxDelayMs ?? 250).unref();
  // pino has already written its own pending lines by the time this runs: write ours the same way.
  process.once('exit', () => {
    flush();
    destination.flushSync?.();
  });
  return {
    write(line) {
      lines.push(line);
      bytes += line.length;
      if (bytes >= maxBytes) flush();
    },
    flush,
  };
}

/** The logger's fixed fields (pid, hostname, name, child bindings) as JSON text: `,"pid":1,…`. */
export function bindingsJsonOf(logger: Logger): string {
  return (logger as unknown as Record<symbol, string>)[pino.symbols.chindingsSym] ?? '';
}
