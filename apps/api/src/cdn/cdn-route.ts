import type { H3, H3Event } from 'h3';
import type { Logger } from '@avtrz/shared/logger';
import { errorAnswer } from '../avatar/avatar-responses.ts';
import { type RouteObservation, withAccessLog } from '../http/access-log.ts';
import type { CdnOrigin } from './cdn-origin.ts';

/** The path the CDN origin answers under: PUBLIC_CDN_URL's pathname, whatever host it names. */
export function cdnPathOf(publicCdnUrl: string): string {
  return new URL(publicCdnUrl).pathname.replace(/\/+$/, '');
}

export function registerCdnRoute(
  app: H3,
  cdnPath: string,
  origin: CdnOrigin,
  logger: Logger,
  observation: RouteObservation,
): void {
  app.all(
    `${cdnPath}/:storageKey`,
    withAccessLog(observation, async (event: H3Event) => {
      const method = event.req.method;
      const head = method === 'HEAD';
      if (method !== 'GET' && !head) {
        return errorAnswer('method_not_allowed', { head: false, extraHeaders: [['allow', 'GET, HEAD']] });
      }
      const storageKey = event.context.params?.storageKey ?? '';
      try {
        return (
          (await origin.answer(storageKey, event.req.headers.get('if-none-match'), head)) ??
          errorAnswer('not_found', { head })
        );
      } catch (error) {
        logger.error({ err: error, storageKey }, 'image storage failed');
        return errorAnswer('service_unavailable', { head });
      }
    }),
  );
}
