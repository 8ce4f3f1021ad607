/**
 * How long to wait before trying a failing profile again: base × 2^(failures − 1), capped, with ±20%
 * jitter so that profiles blocked together do not all come back in the same second.
 */
export function retryDelayMs(
  failureCount: number,
  options: { baseMs: number; capMs: number },
  random = Math.random,
): number {
  const exponent = Math.min(Math.max(failureCount - 1, 0), 30);
  const delay = Math.min(options.baseMs * 2 ** exponent, options.capMs);
  return Math.round(delay * (0.8 + 0.4 * random()));
}
