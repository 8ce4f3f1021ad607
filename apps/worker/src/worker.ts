import { EventEmitter } from 'node:events';
import {
  Logger as WorkerLogger,
  parseCronItems,
  run,
  type Runner,
  type TaskList,
  type WorkerEvents,
} from 'graphile-worker';
import type { DatabaseHandle } from '@avtrz/db/client';
import { RESOLVE_PROFILE_TASK } from '@avtrz/db/queries/profiles.queries';
import type { Config } from '@avtrz/shared/config';
import type { Logger } from '@avtrz/shared/logger';
import type { Registry } from 'prom-client';
import { createImageStorage } from '@avtrz/shared/storage/create-image-storage';
import type { ImageStorage } from '@avtrz/shared/storage/image-storage';
import { createLinkedinPhotoSource } from '@avtrz/shared/upstream/linkedin-photo-source';
import type { ProfilePhotoSource } from '@avtrz/shared/upstream/profile-photo-source';
import { createSafeFetch } from '@avtrz/shared/upstream/safe-fetch';
import { createOutageWaitingPool } from './database/outage-waiting-pool.ts';
import { startWorkerLiveness } from './liveness/worker-liveness.ts';
import { createWorkerMetrics } from './metrics/worker-metrics.ts';
import type { ResolutionContext, ResolutionPolicy } from './resolution/resolution-context.ts';
import { cleanUpImagesTask, type CleanUpOptions } from './tasks/clean-up-images.task.ts';
import { refreshProfilesTask } from './tasks/refresh-profiles.task.ts';
import { resolveProfileTask } from './tasks/resolve-profile.task.ts';

export interface WorkerDeps {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly logger: Logger;
  /** Where photos come from; default LinkedIn public pages at LINKEDIN_BASE_URL. */
  readonly photoSource?: ProfilePhotoSource;
  /** Default: the storage STORAGE_DRIVER names. */
  readonly storage?: ImageStorage;
  readonly policy?: Partial<ResolutionPolicy>;
  readonly cleanUp?: Partial<CleanUpOptions>;
  /** How often jobs of dead workers are looked for, and how fresh a lock must be to be left alone. */
  readonly liveness?: { readonly intervalMs?: number; readonly graceMs?: number };
}

export interface RunningWorker {
  /** Finishes the jobs in hand (or releases them) and stops taking new ones. */
  stop(): Promise<void>;
  /** Jobs by task and outcome, resolution latency (served on METRICS_PORT by the process). */
  readonly registry: Registry;
}

export const REFRESH_PROFILES_TASK = 'refresh_profiles';
export const CLEAN_UP_IMAGES_TASK = 'clean_up_images';

/** Runs the background jobs: resolution, scheduled refresh and image clean-up. */
export async function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const { config, logger } = deps;
  const fetch = createSafeFetch({
    allowPrivate: config.upstream.allowPrivate,
    timeoutMs: config.upstream.timeoutMs,
    maxBytes: config.upstream.maxBytes,
    proxyUrl: config.upstream.proxyUrl,
  });
  const storage = deps.storage ?? (await createImageStorage(config.storage));
  const policy: ResolutionPolicy = {
    refreshIntervalMs: config.resolution.refreshIntervalMs,
    noPhotoRecheckMs: config.resolution.noPhotoRecheckMs,
    retryBaseMs: 60_000,
    retryCapMs: 6 * 3_600_000,
    maxPixels: config.upstream.maxPixels,
    imageHosts: config.upstream.imageHosts,
    ...deps.policy,
  };
  const ctx: ResolutionContext = {
    db: deps.database.db,
    storage,
    fetch,
    policy,
    logger,
    source:
      deps.photoSource ??
      createLinkedinPhotoSource({
        baseUrl: config.upstream.linkedinBaseUrl,
        imageHosts: config.upstream.imageHosts,
        fetch,
      }),
  };
  const taskList: TaskList = {
    [RESOLVE_PROFILE_TASK]: resolveProfileTask(ctx),
    [REFRESH_PROFILES_TASK]: refreshProfilesTask({ db: ctx.db, policy, logger }),
    [CLEAN_UP_IMAGES_TASK]: cleanUpImagesTask({
      db: ctx.db,
      storage,
      logger,
      options: { graceMs: 3 * 24 * 3_600_000, batch: 200, ...deps.cleanUp },
    }),
  };
  const parsedCronItems = parseCronItems([
    {
      task: REFRESH_PROFILES_TASK,
      identifier: REFRESH_PROFILES_TASK,
      match: '* * * * *',
      options: { backfillPeriod: 0, maxAttempts: 1 },
    },
    {
      task: CLEAN_UP_IMAGES_TASK,
      identifier: CLEAN_UP_IMAGES_TASK,
      match: '17 * * * *',
      options: { backfillPeriod: 0, maxAttempts: 3 },
    },
  ]);

  const liveness = startWorkerLiveness({
    databaseUrl: deps.database.url,
    logger: logger.child({ scope: 'liveness' }),
    ...deps.liveness,
  });
  const events: WorkerEvents = new EventEmitter();
  const registry = createWorkerMetrics(events);
  // Jobs are locked in the name of the pool (Graphile Worker 0.18) or of a single worker: track both.
  events.on('pool:create', ({ workerPool }) => liveness.track(workerPool.id));
  events.on('worker:create', ({ worker }) => liveness.track(worker.workerId));

  const pgPool = createOutageWaitingPool({
    connectionString: deps.database.url,
    // Graphile Worker's default: its workers, its listener and the job helpers share it.
    max: Math.max(10, config.resolution.workerConcurrency + 2),
    logger: logger.child({ scope: 'pool' }),
  });
  let runner: Runner;
  try {
    runner = await run({
      pgPool,
      concurrency: config.resolution.workerConcurrency,
      noHandleSignals: true,
      taskList,
      parsedCronItems,
      events,
      logger: pinoWorkerLogger(logger),
    });
  } catch (error) {
    await liveness.stop();
    await pgPool.end();
    await fetch.close();
    throw error;
  }
  // Jobs left locked by a worker that died before we started are released at once.
  await liveness.sweep().catch((error: unknown) => logger.warn({ err: error }, 'first liveness sweep failed'));

  let stopping: Promise<void> | undefined;
  return {
    registry,
    stop() {
      stopping ??= (async () => {
        await runner.stop();
        await pgPool.end();
        await liveness.stop();
        await fetch.close();
        (storage as { close?: () => void }).close?.();
      })();
      return stopping;
    },
  };
}

function pinoWorkerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger((scope) => (level, message, meta) => {
    const log = logger.child({ scope });
    // A lost database is an outage the worker waits out (see outage-waiting-pool.ts), not an error; its
    // messages carry whole driver clients as metadata, which say nothing more.
    if (level === 'error' && LOST_DATABASE.test(message)) return log.warn(message);
    const method = level === 'error' ? 'error' : level === 'warning' ? 'warn' : level === 'info' ? 'info' : 'debug';
    log[method](meta ?? {}, message);
  });
}

const LOST_DATABASE =
  /client generated error|Error with notify listener|Failed to reset locked|Connection terminated|ECONNREFUSED|ECONNRESET/;
