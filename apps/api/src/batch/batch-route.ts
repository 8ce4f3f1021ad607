import type { H3, H3Event } from 'h3';
import type { Logger } from '@avtrz/shared/logger';
import { errorAnswer } from '../avatar/avatar-responses.ts';
import { type RouteObservation, withAccessLog } from '../http/access-log.ts';
import { type BatchHandlerDeps, createBatchHandler } from './batch-handler.ts';
import { BATCH_PATH } from './batch-definition.ts';

export const BATCH_ALLOWED_METHODS = 'POST';

/** POST /v1/avatars; other methods 405. A dependency outage is a 503. */
export function registerBatchRoute(
  app: H3,
  deps: BatchHandlerDeps,
  logger: Logger,
  observation: RouteObservation,
): void {
  const batch = createBatchHandler(deps);
  app.all(
    BATCH_PATH,
    withAccessLog(observation, async (event: H3Event) => {
      if (event.req.method !== 'POST') {
        return errorAnswer('method_not_allowed', {
          head: event.req.method === 'HEAD',
          extraHeaders: [['allow', BATCH_ALLOWED_METHODS]],
        });
      }
      try {
        return await batch(event);
      } catch (error) {
        logger.error({ err: error }, 'batch request failed on a dependency');
        return errorAnswer('service_unavailable', { head: false });
      }
    }),
  );
}
