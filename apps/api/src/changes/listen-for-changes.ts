import { randomBytes } from 'node:crypto';
import type { DatabaseHandle } from '@avtrz/db/client';
import {
  type ChangeMark,
  changesSince,
  pingWithChangeMark,
  pruneChangeLog,
} from '@avtrz/db/queries/change-log.queries';
import { type Channel, channels, listen } from '@avtrz/db/notify';
import type { Logger } from '@avtrz/shared/logger';
import type { ChangeTarget } from './change-target.ts';

export interface ChangeListener {
  stop(): Promise<void>;
}

export interface ChangeListenerOptions {
  /** How often the subscription proves it still receives notifications. Default 1 s. */
  readonly heartbeatMs?: number;
  /** How often to try again while the database or the subscription is away. Default 250 ms. */
  readonly retryMs?: number;
}

/** How long a ping may take to come back before the subscription counts as lost. */
const PONG_TIMEOUT_MS = 1_000;
/** change_log keeps an hour; a listener away for half of that re-reads everything instead. */
const LOG_RETENTION_MS = 3_600_000;
const CATCH_UP_MAX_AGE_MS = LOG_RETENTION_MS / 2;
/** Past this many missed changes, expiring everything is cheaper than applying each. */
const CATCH_UP_MAX_ROWS = 10_000;
const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * Keeps this process's memory in step with the database: writers add a change_log row in the same
 * transaction as their change, its trigger NOTIFYs, and every API process drops what changed from
 * each of `targets` (the key and profile caches, the quotas' remembered refusals). One subscription
 * and one catch-up serve them all.
 *
 * Notifications sent while a process is not listening are lost, so a heartbeat proves the subscription
 * alive: a ping that comes back shows every change committed before it was delivered, and records
 * that point of the log (the mark). When the ping cannot be sent or does not come back, the process
 * subscribes again as soon as the database answers, and then re-reads the log from the last mark:
 * exactly what it may have missed, applied like the notifications would have been. Only when the log
 * cannot say (away too long, or too much changed) is everything held marked stale.
 */
export async function listenForChanges(
  sql: DatabaseHandle['sql'],
  targets: readonly ChangeTarget[],
  logger: Logger,
  options: ChangeListenerOptions = {},
): Promise<ChangeListener> {
  const heartbeatMs = options.heartbeatMs ?? 1_000;
  const retryMs = options.retryMs ?? 250;
  const pingChannel = `avtrz_ping_${randomBytes(8).toString('hex')}`;
  const handlers = {} as Record<Channel, (payload: string) => void>;
  for (const channel of Object.values(channels)) {
    const apply = targets.flatMap((target) => target.changed[channel] ?? []);
    handlers[channel] = (payload) => {
      for (const handle of apply) handle(payload);
    };
  }
  let awaitingPong: { token: string; resolve: () => void } | undefined;
  let stopped = false;
  /** Everything before it was delivered; undefined until the first ping came back. */
  let mark: { at: number; point: ChangeMark } | undefined;
  let needsSubscribe = false;
  let needsCatchUp = false;
  let ownSubscribing = false;
  let pendingSubscribe: Promise<boolean> | undefined;

  const expireAll = (reason: string) => {
    logger.warn({ reason }, 'missed changes cannot be told apart: everything held is marked stale');
    for (const target of targets) target.expireAll();
  };
  // The driver re-subscribes by itself after a dropped connection (when the database is back in
  // time): what was sent in between has to be re-read.
  const onListen = () => {
    if (ownSubscribing || stopped) return;
    needsCatchUp = true;
    kick();
  };

  type Subscription = { unlisten(): Promise<void> };
  let subscriptions: Subscription[] = [];
  const subscribe = async () => {
    ownSubscribing = true;
    try {
      const entries = Object.entries(handlers) as [Channel, (payload: string) => void][];
      subscriptions = await Promise.all([
        ...entries.map(([channel, handle]) => listen(sql, channel, handle, onListen)),
        sql.listen(
          pingChannel,
          (payload: string) => {
            if (awaitingPong?.token === payload) awaitingPong.resolve();
          },
          onListen,
        ),
      ]);
    } finally {
      ownSubscribing = false;
    }
  };
  // The driver can wait forever on a connection that broke mid-way: never let anything wait on it.
  const unsubscribe = async () => {
    const current = subscriptions;
    subscriptions = [];
    await atMost(1_000, Promise.all(current.map((s) => s.unlisten().catch(() => {}))));
  };

  const catchUp = async () => {
    const since = mark;
    if (!since || Date.now() - since.at > CATCH_UP_MAX_AGE_MS) return expireAll('away too long');
    const missed = await changesSince(sql, since.point, CATCH_UP_MAX_ROWS);
    if (missed === null) return expireAll('too many changes');
    for (const change of missed) handlers[change.channel as Channel]?.(change.payload);
    logger.info({ changes: missed.length }, 'listening again: re-read the changes sent meanwhile');
  };

  let beat = 0;
  const ping = async (): Promise<boolean> => {
    const token = String(++beat);
    const received = new Promise<boolean>((resolve) => {
      const timeout = setTimeout(() => resolve(false), PONG_TIMEOUT_MS);
      awaitingPong = { token, resolve: () => (clearTimeout(timeout), resolve(true)) };
    });
    const point = await pingWithChangeMark(sql, pingChannel, token).catch(() => undefined);
    if (!point) {
      awaitingPong?.resolve();
      return false;
    }
    if (!(await received)) return false;
    mark = { at: Date.now(), point };
    return true;
  };

  /** One round: subscribe and catch up when needed, then prove the subscription. True when all is well. */
  const round = async (): Promise<boolean> => {
    if (needsSubscribe) {
      // An attempt still waiting for the database is waited for again, not stacked on: each would
      // add its handlers to the driver's channel once it goes through.
      if (!pendingSubscribe) {
        await unsubscribe();
        if (stopped) return true;
        pendingSubscribe = subscribe().then(
          () => true,
          () => false,
        );
        void pendingSubscribe.then(() => (pendingSubscribe = undefined));
      }
      const subscribed = await atMost(2_000, pendingSubscribe);
      if (subscribed !== true) return false;
      needsSubscribe = false;
      needsCatchUp = true;
    }
    if (needsCatchUp) {
      const caughtUp = await catchUp().then(
        () => true,
        () => false,
      );
      if (!caughtUp) return false;
      needsCatchUp = false;
    }
    if (stopped) return true;
    if (await ping()) return true;
    // The ping could not be sent (database away) or did not come back (subscription lost).
    needsSubscribe = true;
    return false;
  };

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let lastPrune = Date.now();
  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(run, ms);
    timer.unref();
  };
  const run = () => {
    if (running || stopped) return;
    running = round()
      .then((healthy) => {
        if (healthy && Date.now() - lastPrune > PRUNE_EVERY_MS) {
          lastPrune = Date.now();
          pruneChangeLog(sql, new Date(Date.now() - LOG_RETENTION_MS)).catch(() => {});
        }
        return healthy;
      })
      .catch(() => false)
      .then((healthy) => {
        running = undefined;
        schedule(healthy ? heartbeatMs : retryMs);
      });
  };
  const kick = () => {
    if (!running) schedule(0);
  };

  await subscribe();
  // The first mark: from here on, everything committed is delivered (or re-read after a gap).
  if (!(await ping())) needsSubscribe = true;
  schedule(needsSubscribe ? retryMs : heartbeatMs);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await atMost(2_000, running);
      await unsubscribe();
    },
  };
}

/** Waits for `promise`, but no longer than `ms`; undefined when it took longer. */
async function atMost<T>(ms: number, promise: Promise<T> | undefined): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([
    promise,
    new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms))),
  ]);
  clearTimeout(timer);
  return result;
}
