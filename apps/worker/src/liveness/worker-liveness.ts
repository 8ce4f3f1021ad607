import { reconnectBackoff } from '@avtrz/db/client';
import type { Logger } from '@avtrz/shared/logger';
import postgres from 'postgres';

/**
 * Lets the workers of other processes tell that ours are alive, so that jobs held by a crashed
 * process are released in seconds instead of after Graphile Worker's 4-hour lock timeout.
 *
 * Each of our worker (and worker pool) ids holds a session advisory lock on a connection of its own; PostgreSQL drops
 * it the moment the process dies (even on SIGKILL). Every few seconds each process looks for jobs
 * locked by worker ids whose advisory lock nobody holds, and unlocks them with
 * `graphile_worker.force_unlock_workers`. A short grace on `locked_at` covers the instant between a
 * new worker taking its first job and taking its lock.
 */
const NAMESPACE = 1635152754; // 'avtr'

export interface WorkerLiveness {
  /** Holds the liveness lock of a worker id of this process. */
  track(workerId: string): void;
  /** Releases jobs of dead workers now; returns the worker ids released. */
  sweep(): Promise<string[]>;
  stop(): Promise<void>;
}

export function startWorkerLiveness(options: {
  databaseUrl: string;
  logger: Logger;
  /** How often to sweep (and re-take locks lost with a dropped connection). Default 5 s. */
  intervalMs?: number;
  /** Jobs locked more recently than this are left alone. Default 3 s. */
  graceMs?: number;
}): WorkerLiveness {
  const sql = postgres(options.databaseUrl, {
    max: 1,
    onnotice: () => {},
    backoff: reconnectBackoff,
    connection: { application_name: 'avtrz-worker-liveness' },
  });
  const ids = new Set<string>();
  const graceMs = options.graceMs ?? 3000;
  let stopped = false;

  async function holdLocks(): Promise<void> {
    if (ids.size === 0) return;
    // Takes only the locks this session does not hold yet (after a reconnect, all of them).
    await sql`
      select pg_advisory_lock(${NAMESPACE}::int4, hashtext(id))
      from unnest(${[...ids]}::text[]) as id
      where not exists (
        select 1 from pg_locks l
        where l.locktype = 'advisory' and l.pid = pg_backend_pid() and l.objsubid = 2
          and l.classid::text::bigint = ${NAMESPACE}
          and l.objid::text::bigint = (hashtext(id)::bigint & 4294967295))`;
  }

  async function sweep(): Promise<string[]> {
    await holdLocks();
    const dead = await sql<{ worker_id: string }[]>`
      select distinct j.locked_by as worker_id from graphile_worker.jobs j
      where j.locked_by is not null
        and j.locked_at < now() - ${graceMs} * interval '1 millisecond'
        and not exists (
          select 1 from pg_locks l
          where l.locktype = 'advisory' and l.granted and l.objsubid = 2
            and l.database = (select oid from pg_database where datname = current_database())
            and l.classid::text::bigint = ${NAMESPACE}
            and l.objid::text::bigint = (hashtext(j.locked_by)::bigint & 4294967295))`;
    const workerIds = dead.map((r) => r.worker_id);
    if (workerIds.length > 0) {
      await sql`select graphile_worker.force_unlock_workers(${workerIds}::text[])`;
      options.logger.warn({ workerIds }, 'released jobs held by workers that are gone');
    }
    return workerIds;
  }

  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = sweep().catch((error: unknown) => {
      if (!stopped) options.logger.warn({ err: error }, 'worker liveness sweep failed; trying again');
    });
  }, options.intervalMs ?? 5000);
  timer.unref();

  return {
    track(workerId) {
      ids.add(workerId);
      running = holdLocks().catch((error: unknown) =>
        options.logger.warn({ err: error }, 'could not take a worker liveness lock'),
      );
    },
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      // Closing the session releases every lock it holds.
      await sql.end({ timeout: 5 });
    },
  };
}
