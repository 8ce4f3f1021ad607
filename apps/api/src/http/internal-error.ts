import type { Logger } from '@avtrz/shared/logger';
import { type ApiAnswer, errorAnswer } from '../avatar/avatar-responses.ts';

/** A bug reached the top of a route: logged with its path, answered 500 with no detail in the body. */
export function internalError(logger: Logger, error: unknown, path: string, head: boolean): ApiAnswer {
  logger.error({ err: error, path }, 'unexpected error');
  return errorAnswer('internal_error', { head });
}
