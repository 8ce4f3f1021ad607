import type { H3 } from 'h3';
import type { Logger } from '@avtrz/shared/logger';
import { withAccessLog } from '../http/access-log.ts';
import { isImageCaller } from '../http/image-caller.ts';
import { AVATAR_PATH, avatarRequestHeaders } from './avatar-definition.ts';
import { type AvatarHandlerDeps, createAvatarHandler } from './avatar-handler.ts';
import { readAvatarRequest } from './avatar-request.ts';
import { errorAnswer } from './avatar-responses.ts';

export const ALLOWED_METHODS = 'GET, HEAD';

/** /v1/avatar: GET and HEAD; other methods 405. A dependency outage is a 503, an image for `<img>`. */
export function registerAvatarRoute(app: H3, deps: AvatarHandlerDeps, logger: Logger): void {
  const avatar = createAvatarHandler(deps);
  app.all(
    AVATAR_PATH,
    withAccessLog(logger, async (event) => {
    const method = event.req.method;
    if (method !== 'GET' && method !== 'HEAD') {
      return errorAnswer('method_not_allowed', { head: false, extraHeaders: [['allow', ALLOWED_METHODS]] });
    }
    try {
      return await avatar(event);
    } catch (error) {
      logger.error({ err: error }, 'avatar request failed on a dependency');
      const headers = event.req.headers;
      let svg: string | undefined;
      if (isImageCaller(headers.get(avatarRequestHeaders.secFetchDest.name), headers.get(avatarRequestHeaders.accept.name))) {
        const request = readAvatarRequest(event.url.searchParams, headers);
        svg = deps.fallbacks.get(request.handle, request.size);
      }
      return errorAnswer('service_unavailable', { head: method === 'HEAD', svg });
    }
    }),
  );
}
