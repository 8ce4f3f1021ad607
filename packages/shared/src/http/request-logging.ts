import { randomUUID } from 'node:crypto';
import { type H3, type H3Event, onResponse } from 'h3';
import type { Logger } from '../logger.ts';

/** Matches what proxies commonly send, so a request can be followed across hops. */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The caller's `x-request-id` when it looks sane, else a new one. */
export function requestIdOf(headers: Headers): string {
  const incoming = headers.get('x-request-id');
  return incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** The one access-log line every app writes for an answered request. */
export function logAnsweredRequest(
  logger: Logger,
  event: H3Event,
  requestId: string,
  status: number,
  startedAt: number,
): void {
  logger.info({
    reqId: requestId,
    method: event.req.method,
    path: event.url.pathname,
    status,
    ms: Math.round((performance.now() - startedAt) * 100) / 100,
  });
}

/**
 * Gives every request an id, echoed in the response, and logs one line per finished request with its
 * status and duration. (The public API wraps its few routes instead, to keep middleware off its hot path.)
 */
export function useRequestLogging(app: H3, logger: Logger): void {
  app.use((event) => {
    const id = requestIdOf(event.req.headers);
    event.context.requestId = id;
    event.context.startedAt = performance.now();
    event.res.headers.set('x-request-id', id);
  });
  app.use(
    onResponse((response, event) => {
      if (!logger.isLevelEnabled('info')) return;
      logAnsweredRequest(
        logger,
        event,
        event.context.requestId as string,
        response.status,
        event.context.startedAt as number,
      );
    }),
  );
}
