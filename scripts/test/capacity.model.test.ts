import { describe, expect, test } from 'vitest';
import { databaseLoad, distinctKeys, type UnitCosts } from '../capacity/model.ts';

// The capacity model of infra/README.md: the arithmetic that turns measured unit costs into the
// writes and PostgreSQL cores a deployment needs (the unit costs come from scripts/capacity/main.ts).
const costs: UnitCosts = {
  flushMs: 1,
  flushMsPerRow: 0.1,
  leaseMs: 0.5,
  leaseMsPerRow: 0.05,
  notifyMs: 0.05,
  notifyMsPerListener: 0.01,
};
const traffic = {
  processes: 10,
  requestsPerSecond: 100_000,
  activeKeys: 1000,
  flushSeconds: 1,
  limitPerMinute: 10_000,
  changesPerSecond: 1,
};

describe('the capacity model', () => {
  test('distinct keys grow with the requests and never pass the number of keys', () => {
    expect(distinctKeys(0, 1000)).toBe(0);
    expect(distinctKeys(10, 1000)).toBeCloseTo(9.95, 2);
    expect(distinctKeys(1000, 1000)).toBeCloseTo(632.1, 1);
    expect(distinctKeys(1e9, 1000)).toBe(1000);
  });

  test('one flush statement per process and interval, a row per key it saw; leases per key, minute and lease', () => {
    const load = databaseLoad(traffic, costs);
    expect(load.flushStatementsPerSecond).toBe(10);
    // 10,000 requests a second per process over 1,000 keys: each process sees (almost) every key.
    expect(load.flushRowsPerSecond).toBeCloseTo(10_000, 0);
    // Every process claims for every key once a minute, then a lease of 1,000 tokens per 1,000 requests.
    expect(load.leaseRowsPerSecond).toBeCloseTo((10 * 1000) / 60 + 100, 0);
    expect(load.notifiesPerSecond).toBe(1);
    const cpuMs =
      10 * 1 +
      load.flushRowsPerSecond * 0.1 +
      load.leaseStatementsPerSecond * 0.5 +
      load.leaseRowsPerSecond * 0.05 +
      (0.05 + 10 * 0.01);
    expect(load.cpuCores).toBeCloseTo(cpuMs / 1000, 6);
  });

  test('usage rows are bounded by processes × keys ÷ interval, whatever the traffic', () => {
    for (const requestsPerSecond of [1e5, 1e6, 1e7]) {
      const load = databaseLoad({ ...traffic, processes: 1000, requestsPerSecond, flushSeconds: 10 }, costs);
      expect(load.flushRowsPerSecond).toBeLessThanOrEqual((1000 * 1000) / 10);
    }
    const slow = databaseLoad({ ...traffic, processes: 1000, flushSeconds: 60 }, costs);
    const fast = databaseLoad({ ...traffic, processes: 1000, flushSeconds: 1 }, costs);
    expect(slow.flushRowsPerSecond).toBeLessThan(fast.flushRowsPerSecond / 5);
    expect(slow.cpuCores).toBeLessThan(fast.cpuCores);
  });

  test('a process without traffic writes nothing', () => {
    const idle = databaseLoad({ ...traffic, requestsPerSecond: 0, changesPerSecond: 0 }, costs);
    expect(idle).toMatchObject({ flushStatementsPerSecond: 0, flushRowsPerSecond: 0, writesPerSecond: 0, cpuCores: 0 });
  });
});
