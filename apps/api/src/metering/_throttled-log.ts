/** Runs `log` at most once per interval: an outage should not fill the log with one line per second. */
export function throttledLog(intervalMs: number): (log: () => void) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (log) => {
    const now = Date.now();
    if (now - last < intervalMs) return;
    last = now;
    log();
  };
}
