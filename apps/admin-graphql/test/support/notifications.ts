import { type Channel, listen } from '@avtrz/db/notify';
import type { TestDatabase } from '@avtrz/db/testing';
import { afterAll, beforeAll } from 'vitest';

export interface Notifications {
  /** Resolves with the payloads received so far once `payload` has arrived (fails after `timeoutMs`). */
  waitFor(payload: string, timeoutMs?: number): Promise<string[]>;
  received(): string[];
  /** Forgets what was received, so the next waitFor sees only later notifications. */
  clear(): void;
}

/** Listens on a channel for the whole test file, as an API process would. */
export function useNotifications(database: TestDatabase, channel: Channel): Notifications {
  const payloads: string[] = [];
  const waiters = new Set<() => void>();
  let subscription: { unlisten(): Promise<void> } | undefined;
  beforeAll(async () => {
    subscription = await listen(database.sql, channel, (payload) => {
      payloads.push(payload);
      for (const wake of waiters) wake();
    });
  });
  afterAll(async () => {
    await subscription?.unlisten();
  });
  return {
    received: () => [...payloads],
    clear: () => {
      payloads.length = 0;
    },
    waitFor(payload, timeoutMs = 2000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!payloads.includes(payload)) return;
          cleanup();
          resolve([...payloads]);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `no NOTIFY ${channel} ${payload} within ${timeoutMs} ms (got ${payloads.join(', ') || 'nothing'})`,
            ),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}
