// `pnpm bench`: the real API against a real, seeded PostgreSQL, in the configuration people run
// (access logs on, LOG_LEVEL=info, metrics on), loaded over loopback with wrk next to a bare h3
// server answering a constant 302, measured in the same rounds: the API alone, the all-in-one start
// and API_PROCESSES=2, each in its own process.
//
//   BENCH_SECONDS (default 3) per scenario and round (and as long for the baseline run before each), BENCH_ROUNDS (default 7), BENCH_CONNECTIONS
//   (default 50), BENCH_DISTINCT_HANDLES (default 20000), DATABASE_URL (default: an embedded
//   PostgreSQL in a temporary folder; a given server gets its own throwaway database),
//   BENCH_API_NODE_FLAGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the API alone under load),
//   BENCH_EXTRAS=0 to measure the hot path alone (no resolution, console or batch scenarios).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatabaseHandle, openDatabase } from '@avtrz/db/client';
import { startEmbeddedPostgres } from '@avtrz/db/embedded';
import { migrateToLatest } from '@avtrz/db/migrate';
import { createImageStorage } from '@avtrz/shared/storage/create-image-storage';
import { apiNodeFlags as apiNodeFlagsOfStartScript, apiStartEnvironment } from '../api-node-flags.ts';
import type { BenchContext } from './context.ts';
import { runDistinctHandles } from './distinct-handles.ts';
import { type LoadResult, runLoad } from './load.ts';
import { repositoryRoot } from './processes.ts';
import { formatReport, type ReportRow } from './report.ts';
import { hotPathScenarios, type Scenario, type ServerName } from './scenarios.ts';
import { seedBench } from './seed.ts';
import { answersByStatus, type BenchServer, startBenchServers } from './servers.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const distinctHandles = Number(process.env.BENCH_DISTINCT_HANDLES ?? 20_000);
const targets = {
  minRatioToBaseline: 0.8,
  minRatioToCached302: 0.9,
  minAllInOneRatioToBaseline: 0.7,
  minProcessesRatioToOne: 1.3,
  maxP99Ms: 5,
  maxApiRssMb: 150,
};
/** The API runs with the Node flags of its start script (see api-node-flags.ts), as deployments do. */
const apiNodeFlags = apiNodeFlagsOfStartScript();
const profileFlags = process.env.BENCH_API_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];

/**
 * Scenarios other modules add, run after the hot path against the same API and database. Each module
 * exports one function taking the BenchContext; a module not written yet is skipped.
 */
const extraScenarios = [
  { module: './resolution-scenario.ts', run: 'runResolutionScenario' },
  { module: './console-figures.ts', run: 'runConsoleFigures' },
  { module: './batch-scenario.ts', run: 'runBatchScenario' },
] as const;

const log = (line: string) => process.stderr.write(`${line}\n`);
/** The machine's load when the bench began: on a shared machine, other work shares the cores. */
const loadAtStart = os.loadavg()[0] ?? 0;
const cleanups: (() => Promise<void>)[] = [];

try {
  const dataDir = await mkdtemp(join(tmpdir(), 'avtrz-bench-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));

  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    log('» starting an embedded PostgreSQL');
    // Its own folder: as root the server runs as another user, who must be able to reach it.
    const pgDir = await mkdtemp(join(tmpdir(), 'avtrz-bench-pg-'));
    cleanups.push(() => rm(pgDir, { recursive: true, force: true }));
    const pg = await startEmbeddedPostgres({ dataDir: pgDir, persistent: false, unsafeFast: true });
    cleanups.push(() => pg.stop());
    serverUrl = pg.url;
  }
  const databaseUrl = await createBenchDatabase(serverUrl);
  const database: DatabaseHandle = openDatabase(databaseUrl, { max: 4, applicationName: 'avtrz-bench' });
  cleanups.push(() => database.close());
  await migrateToLatest(database.db, databaseUrl);
  const config = { driver: 'fs', dir: join(dataDir, 'images') } as const;
  const seed = await seedBench(database.db, await createImageStorage(config));

  log('» starting the API alone, API_PROCESSES=2, the all-in-one start and the baseline, each in its own process');
  // As the container image does: the compile cache is warmed first, so the apps load already
  // type-stripped code and never load the TypeScript stripper itself.
  const compileCache = join(dataDir, 'compile-cache');
  const warm = spawnSync(process.execPath, ['scripts/warm-compile-cache.ts'], {
    cwd: repositoryRoot,
    env: { ...process.env, NODE_COMPILE_CACHE: compileCache },
    encoding: 'utf8',
  });
  if (warm.status !== 0) throw new Error(`warming the compile cache failed:\n${warm.stderr}`);
  const servers = await startBenchServers({
    databaseUrl,
    dataDir,
    compileCache,
    apiNodeFlags,
    apiEnvironment: apiStartEnvironment(),
    profileFlags,
  });
  for (const server of servers) cleanups.push(() => server.stop());
  const serverOf = (name: ServerName) => servers.find((s) => s.name === name) as BenchServer;
  const api = serverOf('api');

  const rows: ReportRow[] = [];
  const measure = async (server: BenchServer, scenario: Scenario): Promise<Measured> => {
    let peak = 0;
    const sampler = setInterval(() => void server.memory().then((m) => (peak = Math.max(peak, m?.rssMb ?? 0))), 200);
    try {
      const url = `${server.url}${scenario.path}`;
      await runLoad({ url, headers: scenario.headers, connections, seconds: 1 });
      // Server CPU per answer separates what the API spends from what the load generator does.
      const cpuBefore = await server.cpuSeconds();
      const answersBefore = server.metricsUrl ? await answersByStatus(server.metricsUrl) : undefined;
      const loaded = await runLoad({ url, headers: scenario.headers, connections, seconds });
      const cpuAfter = await server.cpuSeconds();
      // The API's own counter gives the exact statuses (and shows that counting costs little).
      const result =
        server.metricsUrl && answersBefore
          ? { ...loaded, statuses: difference(await answersByStatus(server.metricsUrl), answersBefore) }
          : loaded;
      const answers = Object.values(result.statuses).reduce((a, b) => a + b, 0);
      const cpuMicrosPerAnswer =
        cpuBefore === undefined || cpuAfter === undefined || answers === 0
          ? undefined
          : ((cpuAfter - cpuBefore) / answers) * 1e6;
      return {
        result,
        cpuMicrosPerAnswer,
        apiRssMb: server.metricsUrl ? Math.max(peak, (await server.memory())?.rssMb ?? 0) : undefined,
      };
    } finally {
      clearInterval(sampler);
    }
  };

  const scenarios = hotPathScenarios(seed);
  for (const scenario of scenarios) {
    const server = serverOf(scenario.target);
    const check = await fetch(`${server.url}${scenario.path}`, { headers: scenario.headers, redirect: 'manual' });
    await check.arrayBuffer();
    if (check.status !== scenario.expectStatus)
      throw new Error(`${scenario.name}: expected ${scenario.expectStatus}, got ${check.status}`);
  }
  // Every process runs every path it serves before anything is measured (JIT, caches).
  log('» warming up');
  for (const scenario of scenarios) {
    const server = serverOf(scenario.target);
    await runLoad({ url: `${server.url}${scenario.path}`, headers: scenario.headers, connections, seconds: 2 });
  }
  // Rounds: every scenario is measured once per round, in an order that rotates from round to round,
  // each right after a run of the bare h3 baseline. A scenario's ratio in a round is against the
  // baseline run just before it (seconds apart, so that the drift of a shared machine, whose speed
  // here changes by half within a minute, falls on both sides), and the median over rounds is
  // reported. Two API paths compare run against run within each round.
  const baselineScenario = scenarios.find((s) => s.role === 'baseline') as Scenario;
  const inRounds = async (list: readonly Scenario[], baselineName: string): Promise<ReportRow[]> => {
    const runs = new Map<Scenario, Measured[]>(list.map((s) => [s, []]));
    const pairs = new Map<Scenario, Measured[]>(list.map((s) => [s, []]));
    for (let round = 0; round < rounds; round++) {
      const order = list.map((_, i) => list[(i + round) % list.length] as Scenario);
      for (const scenario of order) {
        log(
          `» round ${round + 1}/${rounds}: ${scenario.name}, after the baseline (${seconds} s each, ${connections} connections)`,
        );
        pairs.get(scenario)?.push(await measure(serverOf('baseline'), baselineScenario));
        runs.get(scenario)?.push(await measure(serverOf(scenario.target), scenario));
      }
    }
    const baselineRuns = [...pairs.values()].flat();
    const baselineRow: ReportRow = {
      scenario: { ...baselineScenario, name: baselineName },
      result: meanOf(baselineRuns.map((r) => r.result)),
      p99WorstMs: Math.max(...baselineRuns.map((r) => r.result.p99Ms)),
      apiRssMb: undefined,
      cpuMicrosPerAnswer: meanCpu(baselineRuns),
      baselineOfPairs: true,
    };
    return [
      baselineRow,
      ...[...runs].map(([scenario, measured]): ReportRow => ({
        scenario,
        result: meanOf(measured.map((r) => r.result)),
        p99WorstMs: Math.max(...measured.map((r) => r.result.p99Ms)),
        rounds: measured.map((r) => r.result),
        pairedBaseline: pairs.get(scenario)?.map((r) => r.result),
        apiRssMb: scenario.target === 'baseline' ? undefined : Math.max(...measured.map((r) => r.apiRssMb ?? 0)),
        cpuMicrosPerAnswer: meanCpu(measured),
      })),
    ];
  };
  rows.push(
    ...(await inRounds(
      scenarios.filter((s) => s !== baselineScenario),
      baselineScenario.name,
    )),
  );
  // The all-in-one start runs a worker of its own, which would take the resolution scenario's jobs
  // (and fetch from the real LinkedIn): only the API alone and the baseline stay for what follows.
  for (const server of servers) if (server.name !== 'api' && server.name !== 'baseline') await server.stop();
  if (distinctHandles > 0) {
    log(`» ${distinctHandles} distinct new handles against the API alone`);
    rows.push(
      await runDistinctHandles(database, api, seed.secretKey, { count: distinctHandles, concurrency: connections }),
    );
    // A running API's caches are full: the cached 302 again, now, each run after a baseline run as in
    // the rounds above (after a burst of slow first requests is where V8 used to pretenure requests).
    const cachedAgain: Scenario = {
      ...(scenarios.find((s) => s.role === 'cached-302') as Scenario),
      name: `cached 302, secret key header, after the ${distinctHandles} distinct handles`,
      role: 'after-distinct-handles',
    };
    rows.push(...(await inRounds([cachedAgain], 'bare h3, constant 302, measured again before each run')));
  }
  await serverOf('baseline').stop();

  const context: BenchContext = {
    databaseUrl,
    database,
    dataDir,
    api,
    seed,
    connections,
    seconds,
    load: (options) => runLoad({ connections, seconds, ...options }),
    addRow: (row) => rows.push(row),
    log,
  };
  for (const extra of process.env.BENCH_EXTRAS === '0' ? [] : extraScenarios) {
    const file = new URL(extra.module, import.meta.url);
    if (!existsSync(file)) continue;
    const loaded = (await import(file.href)) as Record<string, unknown>;
    const run = loaded[extra.run];
    if (typeof run === 'function') await (run as (ctx: BenchContext) => Promise<void>)(context);
  }

  const logBytes = await stat(join(dataDir, 'api.log')).then(
    (s) => s.size,
    () => 0,
  );
  const setting = [
    `avtrz bench: wrk -t1 -c${connections}, ${rounds} rounds of ${seconds} s per scenario (order rotating each round), each run right after a run of the baseline and a 1 s warm-up, ratios the median of per-round ratios to that baseline run, p99 the median round's, loopback, node ${process.version}, ${availableCores()} cores`,
    'configuration: the defaults (LOG_LEVEL=info, ACCESS_LOG=all with stdout to a file, metrics on their port, CACHE_TTL_MS and USAGE_FLUSH_MS default), a warmed compile cache; started as',
    ...servers.map((s) => `  ${s.described}`),
    `access log of the API alone: ${(logBytes / 1e6).toFixed(0)} MB written; load average (1 min) at the start ${loadAtStart.toFixed(1)}, at the end ${os.loadavg()[0]?.toFixed(1)}`,
  ].join('\n');
  console.log(formatReport(rows, targets, setting));
} finally {
  for (const cleanup of cleanups.reverse())
    await cleanup().catch((error: unknown) => log(`clean-up failed: ${String(error)}`));
}

/** A throwaway database on the given server, so a shared server keeps no bench rows. */
async function createBenchDatabase(serverUrl: string): Promise<string> {
  const name = `avtrz_bench_${process.pid}_${Date.now()}`;
  const admin = openDatabase(serverUrl, { max: 1, applicationName: 'avtrz-bench' });
  try {
    await admin.sql.unsafe(`create database "${name}"`);
  } finally {
    await admin.close();
  }
  cleanups.push(async () => {
    const drop = openDatabase(serverUrl, { max: 1, applicationName: 'avtrz-bench' });
    try {
      await drop.sql.unsafe(`drop database if exists "${name}" with (force)`);
    } finally {
      await drop.close();
    }
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

interface Measured {
  readonly result: LoadResult;
  readonly apiRssMb: number | undefined;
  readonly cpuMicrosPerAnswer: number | undefined;
}

function difference(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [status, count] of Object.entries(after)) {
    const delta = count - (before[status] ?? 0);
    if (delta > 0) out[status] = delta;
  }
  return out;
}

function availableCores(): number {
  return os.availableParallelism();
}

function meanCpu(runs: readonly Measured[]): number | undefined {
  const cpu = runs.map((r) => r.cpuMicrosPerAnswer);
  return cpu.every((c) => c !== undefined) ? cpu.reduce((a, b) => a + b, 0) / cpu.length : undefined;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function meanOf(runs: LoadResult[]): LoadResult {
  const mean = (pick: (r: LoadResult) => number) => runs.reduce((sum, r) => sum + pick(r), 0) / runs.length;
  const statuses: Record<string, number> = {};
  for (const run of runs)
    for (const [status, count] of Object.entries(run.statuses)) statuses[status] = (statuses[status] ?? 0) + count;
  return {
    requestsPerSecond: mean((r) => r.requestsPerSecond),
    p50Ms: mean((r) => r.p50Ms),
    // The median round's p99 (a host's hiccup in one round lifts that round's, the baseline's too);
    // the worst round's is reported next to it.
    p99Ms: median(runs.map((r) => r.p99Ms)),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    statuses,
  };
}
