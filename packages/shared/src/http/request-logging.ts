import { randomUUID } from 'node:crypto';
import { type H3, onResponse } from 'h3';
import type { Logger } from '../logger.ts';

/** Matches what proxies commonly send, so a request can be followed across hops. */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Gives every request an id (kept from `x-request-id` when it looks sane) echoed in the response, and
 * logs one line per finished request with its status and duration.
 */
export function useRequestLogging(app: H3, logger: Logger): void {
  app.use((event) => {
    const incoming = event.req.headers.get('x-request-id');
    const id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    event.context.requestId = id;
    event.context.startedAt = performance.now();
    event.res.headers.set('x-request-id', id);
  });
  app.use(
    onResponse((response, event) => {
      if (!logger.isLevelEnabled('info')) return;
      const startedAt = event.context.startedAt as number | undefined;
      logger.info({
        reqId: event.context.requestId,
        method: event.req.method,
        path: event.url.pathname,
        status: response.status,
        ms: startedAt === undefined ? undefined : Math.round((performance.now() - startedAt) * 100) / 100,
      });
    }),
  );
}
