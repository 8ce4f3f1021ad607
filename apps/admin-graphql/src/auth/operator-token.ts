import { createHash, timingSafeEqual } from 'node:crypto';

/** Constant-time comparison: both sides are hashed first, so lengths never differ and nothing leaks by timing. */
export function operatorTokenMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
