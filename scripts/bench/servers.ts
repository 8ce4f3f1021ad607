import { get } from 'node:http';
import { join } from 'node:path';
import { freePort } from '@avtrz/db/embedded';
import { type ServerProcess, startServerProcess } from './processes.ts';
import type { ServerName } from './scenarios.ts';

/** A server under test, with the metrics port it serves (undefined for the bare h3 baseline). */
export interface BenchServer extends ServerProcess {
  readonly name: ServerName;
  readonly metricsUrl: string | undefined;
  /** How it was started, for the line above the table. */
  readonly described: string;
}

/** Settings a user's shell may carry that would change the configuration measured: never passed on. */
const CONFIG_VARIABLES = [
  'LOG_LEVEL',
  'ACCESS_LOG',
  'API_PROCESSES',
  'METRICS_PORT',
  'CACHE_TTL_MS',
  'USAGE_FLUSH_MS',
  'MALLOC_ARENA_MAX',
];

export interface ServerOptions {
  readonly databaseUrl: string;
  readonly dataDir: string;
  readonly compileCache: string;
  /** The API's Node flags (its start script's, plus BENCH_API_NODE_FLAGS for the API alone). */
  readonly apiNodeFlags: readonly string[];
  /** The environment the API's start script sets (MALLOC_ARENA_MAX). */
  readonly apiEnvironment: Readonly<Record<string, string>>;
  readonly profileFlags: readonly string[];
}

/**
 * The servers the bench compares, each in its own process and in its default configuration: access
 * logs on (stdout to a file, as a log collector takes it), LOG_LEVEL=info, metrics on their port.
 */
export async function startBenchServers(options: ServerOptions): Promise<BenchServer[]> {
  const inherited = { ...process.env };
  for (const name of CONFIG_VARIABLES) delete inherited[name];
  const started: BenchServer[] = [];
  const start = async (
    name: ServerName,
    script: string,
    nodeFlags: readonly string[],
    extra: Record<string, string>,
  ) => {
    const port = await freePort();
    const metricsPort = await freePort();
    const server = await startServerProcess({
      script,
      url: `http://127.0.0.1:${port}`,
      readyPath: '/readyz',
      nodeFlags: [...nodeFlags],
      baseEnv: inherited,
      env: {
        DATABASE_URL: options.databaseUrl,
        API_PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: options.dataDir,
        METRICS_PORT: String(metricsPort),
        NODE_COMPILE_CACHE: options.compileCache,
        ...extra,
      },
      stdoutFile: join(options.dataDir, `${name}.log`),
    });
    const flags = nodeFlags.length ? `${nodeFlags.join(' ')} ` : '';
    const settings = Object.entries(extra)
      .filter(([name]) => !name.endsWith('_PORT'))
      .map(([k, v]) => `${k}=${v} `);
    started.push({
      ...server,
      name,
      metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
      described: `${name}: ${settings.join('')}node ${flags}${script}`,
    });
  };
  await start('api', 'apps/api/src/main.ts', [...options.apiNodeFlags, ...options.profileFlags], {
    ...options.apiEnvironment,
  });
  await start('api-processes', 'apps/api/src/main.ts', options.apiNodeFlags, {
    ...options.apiEnvironment,
    API_PROCESSES: '2',
  });
  // The root start script runs it as `node scripts/start-all.ts`, no flags.
  await start('all-in-one', 'scripts/start-all.ts', [], { ADMIN_PORT: String(await freePort()) });

  const baselinePort = await freePort();
  const baseline = await startServerProcess({
    script: 'scripts/bench/baseline-server.ts',
    args: [String(baselinePort)],
    url: `http://127.0.0.1:${baselinePort}`,
    readyPath: '/v1/avatar',
  });
  started.push({
    ...baseline,
    name: 'baseline',
    metricsUrl: undefined,
    described: 'baseline: node scripts/bench/baseline-server.ts',
  });
  return started;
}

/** Answers by status from the API's own counter (avtrz_api_answers_total), summed over routes. */
export async function answersByStatus(metricsUrl: string): Promise<Record<string, number>> {
  const text = await scrape(metricsUrl);
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^avtrz_api_answers_total\{[^}]*status="(\d+)"[^}]*\} (\d+)$/gm)) {
    const status = match[1] as string;
    counts[status] = (counts[status] ?? 0) + Number(match[2]);
  }
  return counts;
}

/** One scrape on a connection of its own: a kept-alive one may be closed by the server as it is reused. */
function scrape(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        res.statusCode === 200 ? resolve(body) : reject(new Error(`${url}: ${res.statusCode} ${body}`)),
      );
    }).on('error', reject);
  });
}
