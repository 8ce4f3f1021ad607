import { expect, test } from 'vitest';
import { retryDelayMs } from '../src/resolution/back-off.ts';

const policy = { baseMs: 60_000, capMs: 6 * 3_600_000 };

test('the wait doubles with each failure, from a minute, up to the cap', () => {
  const middle = () => 0.5; // no jitter
  expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, policy, middle))).toEqual([
    60_000, 120_000, 240_000, 480_000, 960_000,
  ]);
  expect(retryDelayMs(9, policy, middle)).toBe(256 * 60_000);
  expect(retryDelayMs(10, policy, middle)).toBe(6 * 3_600_000);
  expect(retryDelayMs(1000, policy, middle)).toBe(6 * 3_600_000);
});

test('jitter stays within ±20%, so profiles blocked together come back spread out', () => {
  expect(retryDelayMs(3, policy, () => 0)).toBe(0.8 * 240_000);
  expect(retryDelayMs(3, policy, () => 0.999_999)).toBeCloseTo(1.2 * 240_000, -1);
});
