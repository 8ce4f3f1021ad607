import type { Logger } from '../logger.ts';

/**
 * Runs `stop` once on the first SIGINT or SIGTERM (or the given signals), then exits 0 (1 if stopping
 * failed). A second signal while stopping exits at once, for people who really mean it. Returns the
 * trigger, for a stop asked for otherwise (a supervisor's message).
 */
export function stopOnSignals(
  logger: Logger,
  stop: () => Promise<void>,
  signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'],
): (reason: string) => void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal while stopping: exiting now');
      logger.flush?.();
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    stop().then(
      () => {
        logger.info('stopped cleanly');
        logger.flush?.();
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'failed to stop cleanly');
        logger.flush?.();
        process.exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, handler);
  return handler;
}
