import { type Channel, channels } from '@avtrz/db/notify';
import type { KeyCache } from '../keys/key-cache.ts';
import type { ProfileCache } from '../profiles/profile-cache.ts';

/**
 * Something a process holds in memory that announced changes make stale. The change listener feeds
 * every target the same way, from a notification or from the log re-read after a lost subscription.
 */
export interface ChangeTarget {
  /** Per channel, what a change's payload (an id, a handle) drops. */
  readonly changed: Partial<Readonly<Record<Channel, (payload: string) => void>>>;
  /** The changes missed cannot be told apart: whatever is held may be stale. */
  expireAll(): void;
}

/** A key change drops the key; a workspace change (its plan) drops the workspace's keys. */
export function keyCacheTarget(keys: KeyCache): ChangeTarget {
  return {
    changed: {
      [channels.apiKeys]: (keyId) => keys.dropKey(keyId),
      [channels.workspaces]: (workspaceId) => keys.dropWorkspace(workspaceId),
    },
    expireAll: () => keys.expireAll(),
  };
}

export function profileCacheTarget(profiles: ProfileCache): ChangeTarget {
  return {
    changed: { [channels.profiles]: (handle) => profiles.changed(handle) },
    expireAll: () => profiles.expireAll(),
  };
}
