/**
 * Rejects when `work` has not settled within `ms`. The driver can leave a query waiting forever on a
 * connection whose server went away mid-handshake; metering must give up on it and try again (every
 * statement it sends is safe to send twice). The timer never keeps the process alive.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
