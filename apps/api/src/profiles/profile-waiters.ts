/**
 * Requests waiting for a profile to change, woken by the profile notification (never by polling).
 * A waiter is registered before the resolution is enqueued, so a change that lands between the two
 * is not missed.
 */
export interface ProfileWaiter {
  /** Resolves true at the next change of the profile (or one since the last call), false at the deadline. */
  next(deadline: number): Promise<boolean>;
  dispose(): void;
}

export interface ProfileWaiters {
  register(handle: string): ProfileWaiter;
  /** The profile changed: wakes everyone waiting for it. */
  notify(handle: string): void;
  /** Wakes everyone with "no change" (the app is stopping) and refuses new waits. */
  close(): void;
}

type Wake = (changed: boolean) => void;

export function createProfileWaiters(now: () => number = Date.now): ProfileWaiters {
  const byHandle = new Map<string, Set<Wake>>();
  let closed = false;
  return {
    register(handle) {
      let changedSinceLastCall = false;
      let wake: Wake | undefined;
      const listener: Wake = (changed) => {
        if (wake) wake(changed);
        else if (changed) changedSinceLastCall = true;
      };
      let set = byHandle.get(handle);
      if (!set) byHandle.set(handle, (set = new Set()));
      set.add(listener);
      return {
        next(deadline) {
          if (changedSinceLastCall) {
            changedSinceLastCall = false;
            return Promise.resolve(true);
          }
          const ms = deadline - now();
          if (closed || ms <= 0) return Promise.resolve(false);
          return new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => {
              wake = undefined;
              resolve(false);
            }, ms);
            wake = (changed) => {
              clearTimeout(timer);
              wake = undefined;
              resolve(changed);
            };
          });
        },
        dispose() {
          wake?.(false);
          const current = byHandle.get(handle);
          current?.delete(listener);
          if (current?.size === 0) byHandle.delete(handle);
        },
      };
    },
    notify(handle) {
      const set = byHandle.get(handle);
      if (set) for (const listener of set) listener(true);
    },
    close() {
      closed = true;
      for (const set of byHandle.values()) for (const listener of set) listener(false);
    },
  };
}
