import autocannon from 'autocannon';

export interface LoadOptions {
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly method?: string;
  readonly connections: number;
  readonly seconds: number;
  /** Seconds of the same load first, not measured (JIT, caches, connection set-up). */
  readonly warmupSeconds?: number;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  /** Count of answers by status, to prove the load got the answer it was meant to. */
  readonly statuses: Record<string, number>;
}

/** Loads a URL over loopback with autocannon at a fixed number of connections. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const base = {
    url: options.url,
    connections: options.connections,
    method: options.method ?? 'GET',
    headers: options.headers ?? {},
    timeout: 10,
  };
  if (options.warmupSeconds) await autocannon({ ...base, duration: options.warmupSeconds });
  const result = await autocannon({ ...base, duration: options.seconds });
  const statuses: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {})) statuses[status] = Number(count);
  return {
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    statuses,
  };
}
