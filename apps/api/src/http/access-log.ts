import type { H3Event } from 'h3';
import { logAnsweredRequest, requestIdOf } from '@avtrz/shared/http/request-logging';
import type { Logger } from '@avtrz/shared/logger';
import type { MaybePromise } from './maybe-promise.ts';

type Handler = (event: H3Event) => MaybePromise<Response>;

/**
 * The shared access-log line for one route, without middleware. Decided once at start-up: with `info`
 * off (LOG_LEVEL=warn, as high traffic is usually run) the handler is returned untouched and the hot
 * path pays nothing.
 */
export function withAccessLog(logger: Logger, handler: Handler): Handler {
  if (!logger.isLevelEnabled('info')) return handler;
  return async (event) => {
    const startedAt = performance.now();
    const response = await handler(event);
    logAnsweredRequest(logger, event, requestIdOf(event.req.headers), response.status, startedAt);
    return response;
  };
}
