import { randomBytes } from 'node:crypto';
import type { DatabaseHandle } from '@avtrz/db/client';
import { channels, listen } from '@avtrz/db/notify';
import type { Logger } from '@avtrz/shared/logger';
import type { KeyCache } from '../keys/key-cache.ts';
import type { ProfileCache } from '../profiles/profile-cache.ts';

export interface ChangeListener {
  stop(): Promise<void>;
}

export interface ChangeListenerOptions {
  /** How often the subscription proves it still receives notifications. Default 5 s. */
  readonly heartbeatMs?: number;
}

/**
 * Keeps this process's memory in step with the database: writers NOTIFY in the same transaction as
 * their change, and every API process drops what changed. When the listening connection comes back
 * after an outage, everything held is marked stale, since news may have been missed meanwhile.
 *
 * The driver re-subscribes by itself after a dropped connection, but gives up if the database is
 * still away at that moment; so a heartbeat on a private channel checks that notifications still
 * arrive, and subscribes again when they do not.
 */
export async function listenForChanges(
  sql: DatabaseHandle['sql'],
  targets: { keys: KeyCache; profiles: ProfileCache },
  logger: Logger,
  options: ChangeListenerOptions = {},
): Promise<ChangeListener> {
  const heartbeatMs = options.heartbeatMs ?? 5000;
  const pingChannel = `avtrz_ping_${randomBytes(8).toString('hex')}`;
  let subscribed = 0;
  let awaitingPong: { token: string; resolve: () => void } | undefined;
  let stopped = false;

  const expireAll = (reason: string) => {
    logger.warn({ reason }, 'change notifications may have been missed: reloading keys and profiles');
    targets.keys.expireAll();
    targets.profiles.expireAll();
  };
  // The driver calls this on every (re)subscription; only those after the first ones can follow a gap.
  const onListen = () => {
    if (++subscribed > 4) expireAll('reconnected');
  };

  type Subscription = { unlisten(): Promise<void> };
  let subscriptions: Subscription[] = [];
  const subscribe = async () => {
    subscriptions = await Promise.all([
      listen(sql, channels.apiKeys, (keyId) => targets.keys.dropKey(keyId), onListen),
      listen(sql, channels.workspaces, (workspaceId) => targets.keys.dropWorkspace(workspaceId), onListen),
      listen(sql, channels.profiles, (handle) => targets.profiles.changed(handle), onListen),
      sql.listen(
        pingChannel,
        (payload: string) => {
          if (awaitingPong?.token === payload) awaitingPong.resolve();
        },
        onListen,
      ),
    ]);
  };
  // The driver can wait forever on a connection that broke mid-way: never let stopping wait on it.
  const unsubscribe = async () => {
    const current = subscriptions;
    subscriptions = [];
    await atMost(2000, Promise.all(current.map((s) => s.unlisten().catch(() => {}))));
  };
  await subscribe();

  let beat = 0;
  let running: Promise<void> | undefined;
  const heartbeat = async () => {
    const token = String(++beat);
    const received = new Promise<boolean>((resolve) => {
      const timeout = setTimeout(() => resolve(false), Math.min(2000, heartbeatMs));
      awaitingPong = { token, resolve: () => (clearTimeout(timeout), resolve(true)) };
    });
    try {
      await sql`select pg_notify(${pingChannel}, ${token})`;
    } catch {
      awaitingPong?.resolve();
      return; // The database is away; the next beat checks again.
    }
    if ((await received) || stopped) return;
    await unsubscribe();
    if (stopped) return;
    await atMost(
      heartbeatMs,
      subscribe().catch(() => {}),
    );
    expireAll('heartbeat lost');
  };
  const timer = setInterval(() => {
    running ??= heartbeat().finally(() => (running = undefined));
  }, heartbeatMs);
  timer.unref();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await atMost(2000, running);
      await unsubscribe();
    },
  };
}

/** Waits for `promise`, but no longer than `ms`. */
async function atMost(ms: number, promise: Promise<unknown> | undefined): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
