// The batch scenario of `pnpm bench`: POST /v1/avatars with 100 profiles the API holds in memory (and the
// workspace already requested this month), one request at a time, so that the latency is the batch's
// own. Target: p50 ≤ 20 ms. BENCH_BATCH_REQUESTS (default 300) tunes it.
import type { DatabaseHandle } from '@avtrz/db/client';

/** The part of the bench context this scenario uses (main.ts hands it its whole BenchContext). */
export interface BatchBenchContext {
  readonly database: DatabaseHandle;
  readonly api: { readonly url: string };
  readonly seed: { readonly secretKey: string; readonly resolvedHandle: string };
  addRow(row: {
    scenario: { name: string };
    result: {
      requestsPerSecond: number;
      p50Ms: number;
      p99Ms: number;
      errors: number;
      statuses: Record<string, number>;
    };
    apiRssMb: undefined;
  }): void;
  log(line: string): void;
}

const BATCH_SIZE = 100;
const targets = { p50Ms: 20 };

export async function runBatchScenario(
  ctx: BatchBenchContext,
): Promise<{ p50Ms: number; p99Ms: number; targetsMet: boolean }> {
  const requests = Number(process.env.BENCH_BATCH_REQUESTS ?? 300);
  const handles = Array.from({ length: BATCH_SIZE }, (_, i) => `batch-person-${i}`);
  // 100 resolved profiles sharing the seeded photo, as the worker would leave them.
  const { image_hash: imageHash } = await ctx.database.db
    .selectFrom('profiles')
    .select('image_hash')
    .where('handle', '=', ctx.seed.resolvedHandle)
    .executeTakeFirstOrThrow();
  const now = new Date();
  await ctx.database.db
    .insertInto('profiles')
    .values(
      handles.map((handle) => ({
        handle,
        status: 'resolved' as const,
        image_hash: imageHash,
        resolved_at: now,
        checked_at: now,
      })),
    )
    .onConflict((oc) => oc.column('handle').doNothing())
    .execute();

  const body = JSON.stringify({ profiles: handles, size: 128 });
  const post = async () => {
    const started = performance.now();
    const res = await fetch(`${ctx.api.url}/v1/avatars`, {
      method: 'POST',
      headers: { 'x-api-key': ctx.seed.secretKey, 'content-type': 'application/json' },
      body,
    });
    const answer = (await res.json()) as { results?: { status: string }[] };
    return {
      ms: performance.now() - started,
      status: res.status,
      resolved: answer.results?.filter((r) => r.status === 'resolved').length ?? 0,
    };
  };

  ctx.log(`» batch: ${requests} sequential POST /v1/avatars of ${BATCH_SIZE} cached profiles`);
  // The first batches admit the profiles for the workspace and load them into memory; then all is cached.
  for (let i = 0; i < 20; i++) await post();
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  const startedAt = performance.now();
  for (let i = 0; i < requests; i++) {
    const { ms, status, resolved } = await post();
    latencies.push(ms);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status !== 200 || resolved !== BATCH_SIZE) errors++;
  }
  const seconds = (performance.now() - startedAt) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  const p50Ms = at(0.5);
  const p99Ms = at(0.99);
  ctx.addRow({
    scenario: { name: `batch of ${BATCH_SIZE} cached profiles (sequential)` },
    result: { requestsPerSecond: requests / seconds, p50Ms, p99Ms, errors, statuses },
    apiRssMb: undefined,
  });
  const targetsMet = p50Ms <= targets.p50Ms && errors === 0;
  ctx.log(
    `${targetsMet ? 'PASS' : 'FAIL'}  batch of ${BATCH_SIZE} cached profiles: p50 ${p50Ms.toFixed(1)} ms, p99 ${p99Ms.toFixed(1)} ms (target p50 ≤ ${targets.p50Ms} ms)${errors ? `, ${errors} answers not all resolved` : ''}`,
  );
  return { p50Ms, p99Ms, targetsMet };
}
