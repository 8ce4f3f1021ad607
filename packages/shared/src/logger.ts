import { writeSync } from 'node:fs';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Log lines go to an asynchronous writer (sonic-boom, pino's own): written by the thread pool while
 * the process goes on, lines arriving meanwhile joining the next write, instead of one blocking write
 * per line, which had cost the API about 40 % of its CPU with one access-log line per request. pino
 * writes what is pending synchronously when the process exits (a clean stop, process.exit, an
 * uncaught error). The access log batches its own lines on top (createLineBatch), as bytes.
 */

/** JSON logs for machines; readable lines when a person is watching a terminal. */
export function createLogger(options: {
  name: string;
  level?: string;
  pretty?: boolean;
  /** The descriptor lines go to; default stdout (1). */
  destination?: number;
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
  return pino(settings, byteDestination(options.destination ?? 1));
}

/** A destination that also takes bytes: the access log's batches, written by the same writer. */
interface ByteDestination extends DestinationStream {
  writeBytes(chunk: Buffer): void;
  /** What the writer holds, then `chunk`, written before this returns (for the process's exit). */
  writeBytesSync(chunk: Buffer): void;
  flush(callback?: (error?: Error) => void): void;
  flushSync(): void;
}

/**
 * One sonic-boom in buffer mode for every line of the process: pino's own lines (a few) as text made
 * bytes, the access log's batches as they are. One writer, so that no two writes meet mid-line on a
 * pipe; bytes, so that a batch waiting for its write is held outside the JavaScript heap (held as
 * text, the lines of every batch outlived two young-generation collections and filled the old
 * generation by megabytes a second under load, each full collection a pause of several ms).
 */
function byteDestination(dest: number): ByteDestination {
  // pino.destination adds the flush at exit and the EPIPE handling to the sonic-boom it makes.
  const writer = pino.destination({ dest, sync: false, contentMode: 'buffer' }) as unknown as {
    write(chunk: Buffer): boolean;
    flush(callback?: (error?: Error) => void): void;
    flushSync(): void;
  };
  return {
    write: (line: string) => writer.write(Buffer.from(line)),
    writeBytes: (chunk) => writer.write(chunk),
    writeBytesSync(chunk) {
      try {
        writer.flushSync();
        writeAllSync(dest, chunk);
      } catch {
        // The reader of the log is gone (EPIPE) or stuck: the process ends anyway.
      }
    },
    flush: (callback) => writer.flush(callback),
    flushSync: () => writer.flushSync(),
  };
}

/** Retries for a descriptor that is non-blocking (a pipe that libuv opened) while the pipe is full. */
const BLOCKED_RETRIES = 2_000;
const pause = new Int32Array(new SharedArrayBuffer(4));

function writeAllSync(fd: number, chunk: Buffer): void {
  let at = 0;
  let retries = 0;
  while (at < chunk.length) {
    try {
      at += writeSync(fd, chunk, at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || ++retries > BLOCKED_RETRIES) throw error;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

type Destination = DestinationStream & { flushSync?: () => void };

/**
 * How a batch reaches the logger's destination, now and at exit: as bytes to the writer made above,
 * as text to one that takes text only (pino-pretty's, on a terminal).
 */
function batchWriterOf(logger: Logger): { write(chunk: Buffer): void; writeSync(chunk: Buffer): void } {
  const destination = (logger as unknown as Record<symbol, Destination | ByteDestination>)[pino.symbols.streamSym];
  if (destination && 'writeBytes' in destination)
    return { write: (chunk) => destination.writeBytes(chunk), writeSync: (chunk) => destination.writeBytesSync(chunk) };
  const text = destination as Destination;
  return {
    write: (chunk) => text.write(chunk.toString('utf8')),
    writeSync(chunk) {
      if (chunk.length > 0) text.write(chunk.toString('utf8'));
      text.flushSync?.();
    },
  };
}

export interface LineBatch {
  /** Adds a formatted line (ending in a newline); written with the batch. */
  write(line: string): void;
  /** Hands what is held to the logger's writer now. */
  flush(): void;
}

/**
 * Formatted lines copied into a buffer and handed to the logger's destination `maxBytes` at a time (and
 * at least every `maxDelayMs`, and when the process exits): one write call per batch, and each line's
 * text garbage as soon as it is copied, dying young. A kill -9 loses at most one batch. A destination
 * that takes text only (pino-pretty's, on a terminal) gets the batch as text.
 */
export function createLineBatch(logger: Logger, options: { maxBytes?: number; maxDelayMs?: number } = {}): LineBatch {
  const writer = batchWriterOf(logger);
  // 64 KiB: about 350 lines, one write (and one hand-off to the thread pool) for each; at 20,000
  // answers a second that is a write every 17 ms, and what a kill -9 can lose.
  const maxBytes = options.maxBytes ?? 65_536;
  // Outside Node's shared pool: the writer keeps each batch until it is written.
  let batch = Buffer.allocUnsafeSlow(maxBytes);
  let used = 0;
  const flush = () => {
    if (used === 0) return;
    const chunk = batch.subarray(0, used);
    batch = Buffer.allocUnsafeSlow(maxBytes);
    used = 0;
    writer.write(chunk);
  };
  setInterval(flush, options.maxDelayMs ?? 250).unref();
  // At exit only a synchronous write still happens: what the writer holds first, then the held lines.
  process.once('exit', () => {
    const held = batch.subarray(0, used);
    used = 0;
    writer.writeSync(held);
  });
  return {
    write(line) {
      // A UTF-16 unit takes at most 3 bytes in UTF-8: room for that, or the batch goes first.
      if (used + line.length * 3 > maxBytes) {
        flush();
        if (line.length * 3 > maxBytes) return writer.write(Buffer.from(line));
      }
      used += batch.write(line, used);
    },
    flush,
  };
}

/** The logger's fixed fields (pid, hostname, name, child bindings) as JSON text: `,"pid":1,…`. */
export function bindingsJsonOf(logger: Logger): string {
  return (logger as unknown as Record<symbol, string>)[pino.symbols.chindingsSym] ?? '';
}
