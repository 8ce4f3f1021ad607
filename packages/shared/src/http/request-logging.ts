import { randomUUID } from 'node:crypto';
import { type H3, type H3Event, onResponse } from 'h3';
import type { Config } from '../config.ts';
import { bindingsJsonOf, createLineBatch, type Logger } from '../logger.ts';

/** Matches what proxies commonly send, so a request can be followed across hops. */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** What is read of a request's headers: a web `Headers`, or a view of Node's (names in lower case). */
export interface HeaderReader {
  get(name: string): string | null;
}

/** What the access log reads of a request: h3's event, or the public API's view of a Node request. */
export interface LoggedRequest {
  readonly req: { readonly method: string };
  readonly url: { readonly pathname: string };
}

/** The caller's `x-request-id` when it looks sane, else a new one. */
export function requestIdOf(headers: HeaderReader, newId: () => string = randomUUID): string {
  const incoming = headers.get('x-request-id');
  return incoming && REQUEST_ID.test(incoming) ? incoming : newId();
}

/**
 * Request ids for a process that only logs them (the public API does not echo them): a random
 * prefix drawn once and a counter, unique across processes and restarts without drawing 122 random
 * bits per request.
 */
export function sequentialRequestIds(): () => string {
  const prefix = randomUUID().slice(0, 13);
  let next = 0;
  return () => `${prefix}-${(next++).toString(36)}`;
}

/**
 * The access log (ACCESS_LOG = all | errors | off): one line per answered request, at level info, so
 * LOG_LEVEL=warn turns it off too. Whether an answer gets a line is decided before anything is
 * formatted; the line is formatted here in one string (pino's object serialisation and redaction
 * cost more than the fields need) and handed to the logger's batched writer.
 */
export interface AccessLog {
  /** Whether an answer with this status is logged (false: nothing is formatted). */
  wants(status: number): boolean;
  /** `elapsedMs`: from the request reaching the app (or route) to its answer. */
  write(request: LoggedRequest, requestId: string, status: number, elapsedMs: number): void;
}

/** The access log the configuration asks for, or undefined when it writes nothing. */
export function createAccessLog(logger: Logger, mode: Config['accessLog']): AccessLog | undefined {
  if (mode === 'off' || !logger.isLevelEnabled('info')) return undefined;
  const bindings = bindingsJsonOf(logger);
  const minStatus = mode === 'errors' ? 400 : 0;
  const batch = createLineBatch(logger);
  // Most lines name the path of the line before (one route takes the traffic): escaped once.
  let lastPath = '';
  let lastPathJson = '""';
  return {
    wants: (status) => status >= minStatus,
    write(request, requestId, status, elapsedMs) {
      const ms = Math.round(elapsedMs * 100) / 100;
      // The request id is checked by REQUEST_ID or a UUID, the method is an HTTP token: neither needs
      // escaping. The path may hold anything a URL may.
      const path = request.url.pathname;
      if (path !== lastPath) {
        lastPath = path;
        lastPathJson = JSON.stringify(path);
      }
      batch.write(
        `{"level":30,"time":${Date.now()}${bindings},"reqId":"${requestId}","method":"${request.req.method}","path":${lastPathJson},"status":${status},"ms":${ms}}\n`,
      );
    },
  };
}

/**
 * Gives every request an id, echoed in the response, and writes the access log for an app with
 * middleware (the admin API). The public API wraps its few routes instead, to keep middleware off its
 * hot path. `onAnswer` sees every answer (metrics).
 */
export function useRequestLogging(
  app: H3,
  logger: Logger,
  mode: Config['accessLog'] = 'all',
  onAnswer?: (event: H3Event, status: number, startedAt: number) => void,
): void {
  const accessLog = createAccessLog(logger, mode);
  app.use((event) => {
    const id = requestIdOf(event.req.headers);
    event.context.requestId = id;
    event.context.startedAt = performance.now();
    event.res.headers.set('x-request-id', id);
  });
  app.use(
    onResponse((response, event) => {
      const startedAt = event.context.startedAt as number;
      onAnswer?.(event, response.status, startedAt);
      if (accessLog?.wants(response.status))
        accessLog.write(event, event.context.requestId as string, response.status, performance.now() - startedAt);
    }),
  );
}
