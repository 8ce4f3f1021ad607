import type { H3 } from 'h3';
import type { Logger } from '@avtrz/shared/logger';
import { type RouteObservation, withAccessLog } from '../http/access-log.ts';
import type { IncomingRequest } from '../http/incoming-request.ts';
import { internalError } from '../http/internal-error.ts';
import type { MaybePromise } from '../http/maybe-promise.ts';
import { type NodeInterceptor, nodeRoute } from '../http/node-route.ts';
import { AVATAR_PATH } from './avatar-definition.ts';
import { type AvatarHandlerDeps, createAvatarHandler } from './avatar-handler.ts';
import { createAvatarRequestReader } from './avatar-request.ts';
import { type ApiAnswer, errorAnswer } from './avatar-responses.ts';
import { errorSvgFor } from './fallback-bodies.ts';

export const ALLOWED_METHODS = 'GET, HEAD';

/**
 * /v1/avatar: GET and HEAD; other methods 405. A dependency outage is a 503, an image for `<img>`.
 *
 * Answered from Node's request ahead of h3 (node-route.ts), the answers decided from memory together
 * at the end of the event-loop turn; the same handler is registered with h3 for any spelling of the
 * path that reaches it instead. Returns the interceptor the server puts ahead of h3.
 */
export function registerAvatarRoute(
  app: H3,
  deps: AvatarHandlerDeps,
  logger: Logger,
  observation: RouteObservation,
): NodeInterceptor {
  const readRequest = createAvatarRequestReader();
  const avatar = createAvatarHandler(deps, readRequest);

  function unavailable(incoming: IncomingRequest, error: unknown): ApiAnswer {
    logger.error({ err: error }, 'avatar request failed on a dependency');
    const request = readRequest(incoming.url, incoming.req.headers);
    const svg = errorSvgFor(deps.fallbacks, incoming.req.headers, request.handle, request.size);
    return errorAnswer('service_unavailable', { head: incoming.req.method === 'HEAD', svg });
  }

  const route = withAccessLog(observation, (incoming: IncomingRequest): MaybePromise<ApiAnswer> => {
    const method = incoming.req.method;
    if (method !== 'GET' && method !== 'HEAD') {
      return errorAnswer('method_not_allowed', { head: false, extraHeaders: [['allow', ALLOWED_METHODS]] });
    }
    // Answered synchronously when everything is in memory; a failure either way is a 503.
    let answer: MaybePromise<ApiAnswer>;
    try {
      answer = avatar(incoming);
    } catch (error) {
      return unavailable(incoming, error);
    }
    return answer instanceof Promise ? answer.catch((error: unknown) => unavailable(incoming, error)) : answer;
  });

  app.all(AVATAR_PATH, route);
  return nodeRoute(AVATAR_PATH, route, (error) => internalError(logger, error, AVATAR_PATH, false));
}
