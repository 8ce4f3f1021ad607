/**
 * The capacity model of infra/README.md: what N API processes ask of PostgreSQL for a given traffic,
 * from the measured cost of one statement and one row of each kind of write.
 */
export interface UnitCosts {
  /** PostgreSQL CPU per usage flush statement, and per key-hour row in it (ms). */
  flushMs: number;
  flushMsPerRow: number;
  /** PostgreSQL CPU per rate-limit lease statement, and per key claimed in it (ms). */
  leaseMs: number;
  leaseMsPerRow: number;
  /** PostgreSQL CPU per NOTIFY, and per connection listening (ms). */
  notifyMs: number;
  notifyMsPerListener: number;
}

export interface Traffic {
  /** API processes sharing the traffic evenly. */
  processes: number;
  /** Requests per second over all processes. */
  requestsPerSecond: number;
  /** Keys with traffic, the traffic spread evenly over them. */
  activeKeys: number;
  /** USAGE_FLUSH_MS / 1000. */
  flushSeconds: number;
  /** Each key's rate limit per minute; leases grow to a tenth of it, at most 10 000 (rate-limiter.ts). */
  limitPerMinute: number;
  /** Admin changes per second (each one NOTIFY that every API process hears). */
  changesPerSecond: number;
}

export interface DatabaseLoad {
  flushStatementsPerSecond: number;
  flushRowsPerSecond: number;
  leaseStatementsPerSecond: number;
  leaseRowsPerSecond: number;
  notifiesPerSecond: number;
  /** Statements that write, per second. */
  writesPerSecond: number;
  /** PostgreSQL CPU seconds per second: the cores the primary spends on these writes. */
  cpuCores: number;
}

/** Distinct keys among `requests` spread evenly over `keys` (expected value). */
export const distinctKeys = (requests: number, keys: number) => keys * (1 - Math.exp(-requests / keys));

export function databaseLoad(t: Traffic, c: UnitCosts): DatabaseLoad {
  const perProcess = t.requestsPerSecond / t.processes;
  // One statement per flush interval and process, one row per key it saw in the interval.
  const flushStatementsPerSecond = perProcess > 0 ? t.processes / t.flushSeconds : 0;
  const flushRowsPerSecond = (t.processes * distinctKeys(perProcess * t.flushSeconds, t.activeKeys)) / t.flushSeconds;
  // Each process claims once per key and minute it serves, then once per lease used up; claims due
  // together share a statement (counted here as one statement per claim round of a process: at the
  // start of each minute and whenever a lease runs out).
  const maxLease = Math.max(10, Math.min(10_000, Math.ceil(t.limitPerMinute / 10)));
  const firstClaims = (t.processes * distinctKeys(perProcess * 60, t.activeKeys)) / 60;
  const refills = t.requestsPerSecond / maxLease;
  const leaseRowsPerSecond = firstClaims + refills;
  const leaseStatementsPerSecond = Math.min(leaseRowsPerSecond, t.processes / 60 + refills);
  const notifiesPerSecond = t.changesPerSecond;
  const cpuMs =
    flushStatementsPerSecond * c.flushMs +
    flushRowsPerSecond * c.flushMsPerRow +
    leaseStatementsPerSecond * c.leaseMs +
    leaseRowsPerSecond * c.leaseMsPerRow +
    notifiesPerSecond * (c.notifyMs + t.processes * c.notifyMsPerListener);
  return {
    flushStatementsPerSecond,
    flushRowsPerSecond,
    leaseStatementsPerSecond,
    leaseRowsPerSecond,
    notifiesPerSecond,
    writesPerSecond: flushStatementsPerSecond + leaseStatementsPerSecond + notifiesPerSecond,
    cpuCores: cpuMs / 1000,
  };
}
