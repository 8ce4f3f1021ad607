/** A value now, or a promise of it when it had to be waited for. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * `next(value)` at once when the value is already there, else when it arrives. The hot path stays
 * synchronous when nothing has to be looked up: an `await` on every request costs measurable CPU.
 */
export function thenMaybe<T, R>(value: MaybePromise<T>, next: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}
