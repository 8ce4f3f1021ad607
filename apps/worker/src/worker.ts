import { Logger as WorkerLogger, run, type Runner, type TaskList } from 'graphile-worker';
import type { DatabaseHandle } from '@avtrz/db/client';
import type { Config } from '@avtrz/shared/config';
import type { Logger } from '@avtrz/shared/logger';

export interface WorkerDeps {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly logger: Logger;
}

export interface RunningWorker {
  /** Finishes the jobs in hand (or releases them) and stops taking new ones. */
  stop(): Promise<void>;
}

/** Runs the background jobs: resolution, scheduled refresh and image clean-up. */
export async function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const taskList: TaskList = {};
  const runner: Runner = await run({
    connectionString: deps.database.url,
    concurrency: deps.config.resolution.workerConcurrency,
    noHandleSignals: true,
    taskList,
    parsedCronItems: [],
    logger: pinoWorkerLogger(deps.logger),
  });
  return {
    async stop() {
      await runner.stop();
    },
  };
}

function pinoWorkerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger((scope) => (level, message, meta) => {
    const log = logger.child({ scope });
    const method = level === 'error' ? 'error' : level === 'warning' ? 'warn' : level === 'info' ? 'info' : 'debug';
    log[method](meta ?? {}, message);
  });
}
