import type { H3, H3Event } from 'h3';
import type { Logger } from '@avtrz/shared/logger';
import { type RouteObservation, withAccessLog } from '../http/access-log.ts';
import { answersAtEndOfTurn } from '../http/answers-at-end-of-turn.ts';
import type { MaybePromise } from '../http/maybe-promise.ts';
import { AVATAR_PATH } from './avatar-definition.ts';
import { type AvatarHandlerDeps, createAvatarHandler } from './avatar-handler.ts';
import { createAvatarRequestReader } from './avatar-request.ts';
import { errorAnswer } from './avatar-responses.ts';
import { errorSvgFor } from './fallback-bodies.ts';

export const ALLOWED_METHODS = 'GET, HEAD';

/**
 * /v1/avatar: GET and HEAD; other methods 405. A dependency outage is a 503, an image for `<img>`.
 * Answers decided from memory go out together at the end of the event-loop turn (answers-at-end-of-turn.ts).
 */
export function registerAvatarRoute(
  app: H3,
  deps: AvatarHandlerDeps,
  logger: Logger,
  observation: RouteObservation,
): void {
  const readRequest = createAvatarRequestReader();
  const avatar = createAvatarHandler(deps, readRequest);

  function unavailable(event: H3Event, error: unknown): Response {
    logger.error({ err: error }, 'avatar request failed on a dependency');
    const request = readRequest(event.url, event.req.headers);
    const svg = errorSvgFor(deps.fallbacks, event.req.headers, request.handle, request.size);
    return errorAnswer('service_unavailable', { head: event.req.method === 'HEAD', svg });
  }

  app.all(
    AVATAR_PATH,
    answersAtEndOfTurn(
      withAccessLog(observation, (event): MaybePromise<Response> => {
        const method = event.req.method;
        if (method !== 'GET' && method !== 'HEAD') {
          return errorAnswer('method_not_allowed', { head: false, extraHeaders: [['allow', ALLOWED_METHODS]] });
        }
        // Answered synchronously when everything is in memory; a failure either way is a 503.
        let answer: MaybePromise<Response>;
        try {
          answer = avatar(event);
        } catch (error) {
          return unavailable(event, error);
        }
        return answer instanceof Promise ? answer.catch((error: unknown) => unavailable(event, error)) : answer;
      }),
    ),
  );
}
