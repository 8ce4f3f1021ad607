import type { DatabaseHandle } from '@avtrz/db/client';
import type { ReportRow } from './report.ts';
import type { BenchServer } from './servers.ts';

/**
 * Memory after many profiles new to the process: `count` handles the API has never seen (stored as
 * found without a photo, so each is one database lookup and a new-profile admission, then a 200),
 * each requested once, `concurrency` at a time. The row carries the API's peak RSS.
 */
export async function runDistinctHandles(
  database: DatabaseHandle,
  api: BenchServer,
  secretKey: string,
  options: { count: number; concurrency: number },
): Promise<ReportRow> {
  await database.sql`insert into profiles (handle, status, checked_at)
    select 'bench-person-' || g, 'no_photo', now() from generate_series(1, ${options.count}::int) g
    on conflict do nothing`;
  let next = 0;
  let peak = 0;
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const sampler = setInterval(() => void api.memory().then((m) => (peak = Math.max(peak, m?.rssMb ?? 0))), 200);
  const startedAt = performance.now();
  try {
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < options.count) {
          const handle = `bench-person-${++next}`;
          const sent = performance.now();
          const res = await fetch(`${api.url}/v1/avatar?username=${handle}&size=64`, {
            headers: { 'x-api-key': secretKey },
          });
          await res.arrayBuffer();
          latencies.push(performance.now() - sent);
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        }
      }),
    );
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - startedAt) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    scenario: { name: `API alone: ${options.count} distinct new handles, once each`, role: 'distinct-handles' },
    result: { requestsPerSecond: options.count / seconds, p50Ms: at(0.5), p99Ms: at(0.99), errors: 0, statuses },
    apiRssMb: Math.max(peak, (await api.memory())?.rssMb ?? 0),
  };
}
