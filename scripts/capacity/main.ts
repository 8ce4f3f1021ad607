// `node scripts/capacity/main.ts`: what each write the API processes make costs PostgreSQL, measured
// against a real (embedded, durable) server, and a check of the capacity model in infra/README.md.
//
// 1. Unit costs: usage flushes (addUsageBatch) of 10, 100 and 1,000 key-hours, rate-limit leases
//    (claimRateLimitTokens) for 10, 100 and 1,000 keys, and NOTIFY with 0 and 100 listening
//    connections — each sent back to back from 4 connections, as concurrent processes would; the
//    cost is the server's CPU time (all its processes, from /proc) per statement.
// 2. The model's check: CAPACITY_PROCESSES (default 20) simulated API processes, each flushing its
//    key-hours and leasing for its keys once a second; the database CPU the model predicts from the
//    unit costs is compared with what the server spent.
//
//   CAPACITY_SECONDS (default 5) per measurement, CAPACITY_PROCESSES (default 20).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import postgres from 'postgres';
import { type DatabaseHandle, openDatabase } from '@avtrz/db/client';
import { startEmbeddedPostgres } from '@avtrz/db/embedded';
import { migrateToLatest } from '@avtrz/db/migrate';
import { channels, notify } from '@avtrz/db/notify';
import { claimRateLimitTokens } from '@avtrz/db/queries/rate-limits.queries';
import { addUsageBatch, type UsageCounts } from '@avtrz/db/queries/usage.queries';
import { databaseLoad, type UnitCosts } from './model.ts';
import { postgresCpuSeconds, postmasterPidOf } from './postgres-cpu.ts';

const seconds = Number(process.env.CAPACITY_SECONDS ?? 5);
const processes = Number(process.env.CAPACITY_PROCESSES ?? 20);
const CONNECTIONS = 4;
const KEYS = 1000;
const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Concurrent usage batches over the same keys deadlocked in PostgreSQL (40P01) until the statement
 * locked its keys in id order; should one happen again, it is counted here (and reported) and sent
 * again as the API would (its batch id makes that safe).
 */
let deadlocks = 0;
async function retryingDeadlocks<T>(statement: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await statement();
    } catch (error) {
      if ((error as { code?: string }).code !== '40P01') throw error;
      deadlocks += 1;
    }
  }
}

const dataDir = await mkdtemp(join(tmpdir(), 'avtrz-capacity-'));
const pg = await startEmbeddedPostgres({ dataDir, persistent: false });
const pid = postmasterPidOf(join(dataDir, 'pg'));
const handles: DatabaseHandle[] = [];
try {
  const main = openDatabase(pg.url, { max: 2, applicationName: 'avtrz-capacity' });
  handles.push(main);
  await migrateToLatest(main.db, pg.url);
  const keyIds = await seedKeys(main);
  const pool = openDatabase(pg.url, { max: CONNECTIONS, applicationName: 'avtrz-capacity' });
  handles.push(pool);
  const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const minute = () => new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const usageRows = (n: number, offset = 0): UsageCounts[] =>
    keyIds.slice(offset, offset + n).map((keyId) => ({
      keyId,
      hour,
      billable: 3,
      notModified: 1,
      fallbacks: 0,
      newProfiles: 0,
      rejected: 0,
      lastUsedAt: new Date(),
    }));
  const claims = (n: number, offset = 0) =>
    keyIds.slice(offset, offset + n).map((keyId) => ({ keyId, windowStart: minute(), tokens: 1 }));

  log(`» unit costs (${seconds} s each, ${CONNECTIONS} connections back to back)`);
  const unit: Record<string, Measured> = {};
  for (const rows of [10, 100, 1000]) {
    unit[`flush ${rows}`] = await measure(`usage flush of ${rows} key-hours`, () =>
      addUsageBatch(pool.db, randomUUID(), usageRows(rows)),
    );
  }
  for (const n of [10, 100, 1000]) {
    unit[`lease ${n}`] = await measure(`rate-limit lease for ${n} keys`, () =>
      claimRateLimitTokens(pool.db, claims(n)),
    );
  }
  unit['notify 0'] = await measure('NOTIFY, no listener', () => notify(pool.db, channels.apiKeys, randomUUID()));
  const listeners = await Promise.all(
    Array.from({ length: 100 }, async () => {
      const client = postgres(pg.url, { max: 1, onnotice: () => {} });
      await client.listen(channels.apiKeys, () => {});
      return client;
    }),
  );
  unit['notify 100'] = await measure('NOTIFY, 100 listening connections', () =>
    notify(pool.db, channels.apiKeys, randomUUID()),
  );
  await Promise.all(listeners.map((l) => l.end()));

  // Costs per statement as a + b·rows, from the 10- and 1,000-row measurements.
  const line = (small: Measured, large: Measured) => {
    const b = (large.cpuMsPerStatement - small.cpuMsPerStatement) / 990;
    return (rows: number) => small.cpuMsPerStatement + b * (rows - 10);
  };
  const flushCost = line(unit['flush 10']!, unit['flush 1000']!);
  const leaseCost = line(unit['lease 10']!, unit['lease 1000']!);
  log(
    `  model: flush ≈ ${flushCost(0).toFixed(2)} ms + ${((flushCost(1000) - flushCost(0)) / 1000).toFixed(4)} ms/key-hour; lease ≈ ${leaseCost(0).toFixed(2)} ms + ${((leaseCost(1000) - leaseCost(0)) / 1000).toFixed(4)} ms/key`,
  );
  log(
    `  at 100 rows the line says flush ${flushCost(100).toFixed(2)} ms (measured ${unit['flush 100']!.cpuMsPerStatement.toFixed(2)}), lease ${leaseCost(100).toFixed(2)} ms (measured ${unit['lease 100']!.cpuMsPerStatement.toFixed(2)})`,
  );

  // The model's check: N processes, each with its own connection, flushing 100 key-hours and leasing
  // for 100 keys every second (the keys overlap between processes, as they do when a load balancer
  // spreads every key's traffic).
  const keysPerProcess = 100;
  log(`» ${processes} simulated API processes, each flushing and leasing for ${keysPerProcess} keys every second`);
  const simulated = Array.from({ length: processes }, () => openDatabase(pg.url, { max: 1, applicationName: 'sim' }));
  handles.push(...simulated);
  const predictedCpuPerSecond = (processes * (flushCost(keysPerProcess) + leaseCost(keysPerProcess))) / 1000;
  const deadlocksBeforeSimulation = deadlocks;
  const before = postgresCpuSeconds(pid);
  const started = performance.now();
  let statements = 0;
  await Promise.all(
    simulated.map(async (p, i) => {
      const offset = (i * 37) % (KEYS - keysPerProcess);
      await sleep(Math.random() * 1000);
      for (let tick = 0; tick < seconds * 2; tick++) {
        const next = performance.now() + 1000;
        const batchId = randomUUID();
        await retryingDeadlocks(() => addUsageBatch(p.db, batchId, usageRows(keysPerProcess, offset)));
        await retryingDeadlocks(() => claimRateLimitTokens(p.db, claims(keysPerProcess, offset)));
        statements += 2;
        await sleep(next - performance.now());
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const simulatedDeadlocks = deadlocks - deadlocksBeforeSimulation;
  const measuredCpuPerSecond = (postgresCpuSeconds(pid) - before) / elapsed;
  log(
    `  PostgreSQL CPU: predicted ${predictedCpuPerSecond.toFixed(3)} s/s, measured ${measuredCpuPerSecond.toFixed(3)} s/s (${(measuredCpuPerSecond / predictedCpuPerSecond).toFixed(2)}×), ${(statements / elapsed).toFixed(0)} statements/s, ${simulatedDeadlocks} deadlocks (sent again)`,
  );
  const costs: UnitCosts = {
    flushMs: flushCost(0),
    flushMsPerRow: (flushCost(1000) - flushCost(0)) / 1000,
    leaseMs: leaseCost(0),
    leaseMsPerRow: (leaseCost(1000) - leaseCost(0)) / 1000,
    notifyMs: unit['notify 0']!.cpuMsPerStatement,
    notifyMsPerListener: (unit['notify 100']!.cpuMsPerStatement - unit['notify 0']!.cpuMsPerStatement) / 100,
  };
  console.log(
    '| API processes | flush interval | writes/s (flush + lease + NOTIFY) | key-hour rows/s | lease rows/s | PostgreSQL cores |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [n, flushSeconds] of [
    [10, 1],
    [100, 1],
    [1000, 1],
    [1000, 10],
    [1000, 60],
  ] as const) {
    const load = databaseLoad(
      {
        processes: n,
        requestsPerSecond: 100_000,
        activeKeys: 1000,
        flushSeconds,
        limitPerMinute: 10_000,
        changesPerSecond: 1,
      },
      costs,
    );
    console.log(
      `| ${n} | ${flushSeconds} s | ${load.writesPerSecond.toFixed(0)} (${load.flushStatementsPerSecond.toFixed(0)} + ${load.leaseStatementsPerSecond.toFixed(0)} + ${load.notifiesPerSecond}) | ${load.flushRowsPerSecond.toFixed(0)} | ${load.leaseRowsPerSecond.toFixed(0)} | ${load.cpuCores.toFixed(2)} |`,
    );
  }
  console.log(
    JSON.stringify(
      {
        unit,
        costs,
        check: {
          processes,
          keysPerProcess,
          predictedCpuPerSecond,
          measuredCpuPerSecond,
          deadlocks: simulatedDeadlocks,
        },
      },
      null,
      2,
    ),
  );
} finally {
  await Promise.all(handles.map((h) => h.close()));
  await pg.stop();
  await rm(dataDir, { recursive: true, force: true });
}

interface Measured {
  statements: number;
  deadlocks: number;
  statementsPerSecond: number;
  cpuMsPerStatement: number;
  p50Ms: number;
}

async function measure(what: string, statement: () => Promise<unknown>): Promise<Measured> {
  for (let i = 0; i < 20; i++) await retryingDeadlocks(statement); // warm the plan caches and the buffers
  const latencies: number[] = [];
  const deadlocksBefore = deadlocks;
  const before = postgresCpuSeconds(pid);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        await retryingDeadlocks(statement);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = postgresCpuSeconds(pid) - before;
  latencies.sort((a, b) => a - b);
  const result: Measured = {
    statements: latencies.length,
    deadlocks: deadlocks - deadlocksBefore,
    statementsPerSecond: latencies.length / elapsed,
    cpuMsPerStatement: (cpu * 1000) / latencies.length,
    p50Ms: latencies[Math.floor(latencies.length / 2)] ?? 0,
  };
  log(
    `  ${what}: ${result.cpuMsPerStatement.toFixed(2)} ms PostgreSQL CPU each, ${result.statementsPerSecond.toFixed(0)}/s, p50 ${result.p50Ms.toFixed(1)} ms${result.deadlocks ? `, ${result.deadlocks} deadlocks (sent again)` : ''}`,
  );
  return result;
}

async function seedKeys(database: DatabaseHandle): Promise<string[]> {
  await sql`insert into workspaces (name, monthly_request_quota) select 'capacity ' || g, 2000000000 from generate_series(1, 10) g`.execute(
    database.db,
  );
  const rows = await sql<{ id: string }>`
    insert into api_keys (workspace_id, type, key_hash, prefix, last4)
    select w.id, 'secret', sha256(('key ' || g)::bytea), 'sk_live_', 'abcd'
    from generate_series(1, ${KEYS}) g
    join (select id, row_number() over (order by id) as n from workspaces) w on w.n = 1 + g % 10
    returning id`.execute(database.db);
  return rows.rows.map((r) => r.id);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
