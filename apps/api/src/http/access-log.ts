import { randomUUID } from 'node:crypto';
import type { H3Event } from 'h3';
import type { Logger } from '@avtrz/shared/logger';

type Handler = (event: H3Event) => Response | Promise<Response>;

/**
 * One line per answered request at `info`: method, path, status, duration and a request id (the
 * caller's `x-request-id` when it sent one, else a new one). Decided once at start-up: with `info`
 * off (LOG_LEVEL=warn, as high traffic is usually run) the handler is returned untouched and the hot
 * path pays nothing.
 */
export function withAccessLog(logger: Logger, handler: Handler): Handler {
  if (!logger.isLevelEnabled('info')) return handler;
  return async (event) => {
    const startedAt = performance.now();
    const response = await handler(event);
    logger.info({
      reqId: event.req.headers.get('x-request-id') ?? randomUUID(),
      method: event.req.method,
      path: event.url.pathname,
      status: response.status,
      ms: Math.round((performance.now() - startedAt) * 100) / 100,
    });
    return response;
  };
}
