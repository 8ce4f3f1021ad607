// The resolution scenario of `pnpm bench`: fresh profiles from a fake LinkedIn on loopback, through a
// worker process of its own, measured end to end. Two numbers, each against its target:
//   - first request for a never-seen profile → its 302 (the API waits for the worker): p50 ≤ 400 ms;
//   - profiles resolved per second (page, photo, five sizes stored, rows written): ≥ 20/s.
// BENCH_FIRST_REQUESTS (default 40), BENCH_PROFILES (default 300), BENCH_WORKER_CONCURRENCY (default:
// the worker's own default) tune it.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DatabaseHandle } from '@avtrz/db/client';
import { requestProfileResolution } from '@avtrz/db/queries/profiles.queries';
import { startFakeLinkedin, type FakeLinkedin } from '@avtrz/shared/testing/fake-linkedin';
import { makePhotoLike } from '@avtrz/shared/testing/test-images';

/** The part of the bench context this scenario uses (main.ts hands it its whole BenchContext). */
export interface ResolutionBenchContext {
  readonly databaseUrl: string;
  readonly database: DatabaseHandle;
  /** The API's DATA_DIR: the worker stores images there, so the API's CDN origin serves them. */
  readonly dataDir: string;
  /** A running API process using `databaseUrl`. */
  readonly api: { readonly url: string };
  readonly seed: { readonly secretKey: string };
  addRow(row: ResolutionReportRow): void;
  log(line: string): void;
}

export interface ResolutionReportRow {
  readonly scenario: { readonly name: string };
  readonly result: {
    readonly requestsPerSecond: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    readonly errors: number;
    readonly statuses: Record<string, number>;
  };
  readonly apiRssMb: undefined;
}

export interface ResolutionBenchResult {
  readonly firstRequest: {
    readonly count: number;
    readonly p50Ms: number;
    readonly p95Ms: number;
    readonly statuses: Record<string, number>;
  };
  readonly throughput: {
    readonly profiles: number;
    readonly seconds: number;
    readonly profilesPerSecond: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
  };
  readonly targetsMet: boolean;
}

const targets = { firstRequestP50Ms: 400, profilesPerSecond: 20 };
const root = fileURLToPath(new URL('../../', import.meta.url));

export async function runResolutionScenario(ctx: ResolutionBenchContext): Promise<ResolutionBenchResult> {
  const firstCount = Number(process.env.BENCH_FIRST_REQUESTS ?? 40);
  const profileCount = Number(process.env.BENCH_PROFILES ?? 300);
  const run = `${Date.now().toString(36)}`;
  const firstHandles = Array.from({ length: firstCount }, (_, i) => `first-${run}-${i}`);
  const bulkHandles = Array.from({ length: profileCount }, (_, i) => `bulk-${run}-${i}`);

  ctx.log(`» resolution: making ${firstCount + profileCount + 1} distinct 800×800 photos for the fake LinkedIn`);
  const fake = await startFakeLinkedin();
  let worker: ChildProcess | undefined;
  try {
    for (const handle of ['warm-up', ...firstHandles, ...bulkHandles]) {
      fake.setProfile(handle, { kind: 'photo', photo: { kind: 'image', body: await makePhotoLike(handle) } });
    }
    worker = startWorkerProcess(ctx, fake);
    // The first job also proves the worker is up (and warms sharp and the JIT).
    await requestProfileResolution(ctx.database.db, 'warm-up');
    await waitUntilSettled(ctx.database, ['warm-up'], 60_000);

    ctx.log(`» resolution: ${firstCount} first requests for never-seen profiles, one at a time`);
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    for (const handle of firstHandles) {
      const started = performance.now();
      const response = await fetch(`${ctx.api.url}/v1/avatar?username=${handle}&size=128`, {
        headers: { 'x-api-key': ctx.seed.secretKey },
        redirect: 'manual',
      });
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    }
    const firstRequest = {
      count: firstCount,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      statuses,
    };

    ctx.log(`» resolution: ${profileCount} fresh profiles queued at once, until every one is stored`);
    const started = Date.now();
    await ctx.database.db.transaction().execute(async (trx) => {
      for (const handle of bulkHandles) await requestProfileResolution(trx, handle, { reason: 'bench' });
    });
    const rows = await waitUntilSettled(ctx.database, bulkHandles, 600_000);
    const seconds = (Date.now() - started) / 1000;
    const perProfile = rows.map((r) => r.checked_at.getTime() - started);
    const resolved = rows.filter((r) => r.status === 'resolved').length;
    const throughput = {
      profiles: resolved,
      seconds,
      profilesPerSecond: resolved / seconds,
      p50Ms: percentile(perProfile, 50),
      p99Ms: percentile(perProfile, 99),
    };

    ctx.addRow({
      scenario: { name: 'first request, never-seen profile (fake LinkedIn)' },
      result: {
        requestsPerSecond: 1000 / (percentile(latencies, 50) || 1),
        p50Ms: firstRequest.p50Ms,
        p99Ms: percentile(latencies, 99),
        errors: 0,
        statuses,
      },
      apiRssMb: undefined,
    });
    ctx.addRow({
      scenario: { name: `resolution, ${profileCount} fresh profiles (req/s = profiles/s, 5 sizes each)` },
      result: {
        requestsPerSecond: throughput.profilesPerSecond,
        p50Ms: throughput.p50Ms,
        p99Ms: throughput.p99Ms,
        errors: profileCount - resolved,
        statuses: { resolved },
      },
      apiRssMb: undefined,
    });
    const firstOk = firstRequest.p50Ms <= targets.firstRequestP50Ms && (statuses[302] ?? 0) === firstCount;
    const throughputOk = throughput.profilesPerSecond >= targets.profilesPerSecond && resolved === profileCount;
    ctx.log(
      `${firstOk ? 'PASS' : 'FAIL'}  first request for a never-seen profile: p50 ${firstRequest.p50Ms.toFixed(0)} ms, p95 ${firstRequest.p95Ms.toFixed(0)} ms, ` +
        `${statuses[302] ?? 0}/${firstCount} answered 302 (target p50 ≤ ${targets.firstRequestP50Ms} ms)`,
    );
    ctx.log(
      `${throughputOk ? 'PASS' : 'FAIL'}  resolution: ${resolved}/${profileCount} profiles in ${seconds.toFixed(1)} s = ` +
        `${throughput.profilesPerSecond.toFixed(1)} profiles/s, five sizes each (target ≥ ${targets.profilesPerSecond}/s)`,
    );
    return { firstRequest, throughput, targetsMet: firstOk && throughputOk };
  } finally {
    if (worker) await stopWorkerProcess(worker);
    await fake.close();
  }
}

function startWorkerProcess(ctx: ResolutionBenchContext, fake: FakeLinkedin): ChildProcess {
  const concurrency = process.env.BENCH_WORKER_CONCURRENCY;
  const child = spawn(process.execPath, ['apps/worker/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: ctx.databaseUrl,
      DATA_DIR: ctx.dataDir,
      LINKEDIN_BASE_URL: fake.baseUrl,
      UPSTREAM_IMAGE_HOSTS: fake.imageHost,
      UPSTREAM_ALLOW_PRIVATE: 'true',
      LOG_LEVEL: 'warn',
      METRICS_PORT: '0',
      ...(concurrency ? { WORKER_CONCURRENCY: concurrency } : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function stopWorkerProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function waitUntilSettled(database: DatabaseHandle, handles: string[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await database.db
      .selectFrom('profiles')
      .select(['handle', 'status', 'checked_at'])
      .where('handle', 'in', handles)
      .where('status', '<>', 'pending')
      .execute();
    if (rows.length === handles.length) return rows.map((r) => ({ ...r, checked_at: r.checked_at ?? new Date() }));
    if (Date.now() > deadline)
      throw new Error(`only ${rows.length} of ${handles.length} profiles settled in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
