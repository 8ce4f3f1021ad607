import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * The environment, read once at start-up into a frozen, typed object (CONTRACT §5 plus our additions).
 * Nothing else in the code reads process.env.
 */

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce
  .number({ message: 'expected a port number' })
  .int('expected a whole number')
  .min(0, 'expected a port from 0 to 65535')
  .max(65535, 'expected a port from 0 to 65535');

const positiveInt = (max: number) =>
  z.coerce
    .number({ message: 'expected a whole number' })
    .int('expected a whole number')
    .min(1, `expected a whole number from 1 to ${max}`)
    .max(max, `expected a whole number from 1 to ${max}`);

const nonNegativeInt = (max: number) =>
  z.coerce
    .number({ message: 'expected a whole number' })
    .int('expected a whole number')
    .min(0, `expected a whole number from 0 to ${max}`)
    .max(max, `expected a whole number from 0 to ${max}`);

const httpUrl = z
  .string()
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'expected an http(s) URL')
  .transform((v) => v.replace(/\/+$/, ''));

const postgresUrl = z
  .string()
  .refine((v) => URL.canParse(v) && /^postgres(ql)?:$/.test(new URL(v).protocol), 'expected a postgres:// URL');

const hostList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  )
  .refine((hosts) => hosts.length > 0, 'expected at least one host name')
  .refine((hosts) => hosts.every((h) => /^[a-z0-9.-]+$/.test(h)), 'expected comma-separated host names');

const envSchema = z.object({
  DATABASE_URL: postgresUrl.optional(),
  DATA_DIR: z.string().min(1).default('./.data'),
  API_PORT: port.default(3000),
  ADMIN_PORT: port.default(3001),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_CDN_URL: httpUrl.default('http://localhost:3000/cdn'),
  PUBLIC_API_URL: httpUrl.optional(),
  OPERATOR_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
  CONSOLE_URL: httpUrl
    .refine((v) => {
      const url = new URL(v);
      return url.pathname === '/' && !url.search && !url.hash && !url.username;
    }, 'expected an origin such as https://console.example.com (no path)')
    .transform((v) => new URL(v).origin)
    .optional(),
  AUTH_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
  TRUSTED_PROXY_HOPS: nonNegativeInt(10).default(0),
  LINKEDIN_BASE_URL: httpUrl.default('https://www.linkedin.com'),
  UPSTREAM_IMAGE_HOSTS: hostList.default(['media.licdn.com']),
  UPSTREAM_ALLOW_PRIVATE: booleanFlag.default(false),
  UPSTREAM_PROXY_URL: httpUrl.optional(),
  UPSTREAM_TIMEOUT_MS: positiveInt(120_000).default(10_000),
  UPSTREAM_MAX_BYTES: positiveInt(100 * 1024 * 1024).default(8 * 1024 * 1024),
  UPSTREAM_MAX_PIXELS: positiveInt(1_000_000_000).default(40_000_000),
  RESOLVE_WAIT_MS: nonNegativeInt(30_000).default(1500),
  REFRESH_INTERVAL_HOURS: positiveInt(24 * 365).default(24 * 7),
  NO_PHOTO_RECHECK_HOURS: positiveInt(24 * 365).default(24),
  WORKER_CONCURRENCY: positiveInt(64).default(4),
  STORAGE_DRIVER: z.enum(['fs', 's3'], { message: 'expected fs or s3' }).default('fs'),
  S3_BUCKET: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ENDPOINT: httpUrl.optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: booleanFlag.default(false),
  USAGE_FLUSH_MS: positiveInt(60_000).default(1000),
  CACHE_TTL_MS: positiveInt(3_600_000).default(60_000),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'expected one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  ACCESS_LOG: z.enum(['all', 'errors', 'off'], { message: 'expected all, errors or off' }).default('all'),
  METRICS_PORT: port.optional(),
  API_PROCESSES: z
    .union([z.literal('auto'), positiveInt(256)], { message: 'expected auto or a whole number from 1 to 256' })
    .default(1),
});

export type Env = z.infer<typeof envSchema>;

/** Every environment variable the apps read (deployment files are checked against this list). */
export const configVariableNames: readonly string[] = Object.freeze(Object.keys(envSchema.shape));

export interface Config {
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly host: string;
  readonly apiPort: number;
  readonly adminPort: number;
  readonly publicCdnUrl: string;
  /** Where pages and servers call GET /v1/avatar (the console's snippets); unset: see publicApiUrlFor. */
  readonly publicApiUrl: string | undefined;
  readonly operatorToken: string | undefined;
  /**
   * Where people open the console (the admin server's own origin): Better Auth's base URL, the only
   * origin allowed to change state, and the base of setup and invitation links. Unset: the admin
   * server's own address (see consoleUrlFor).
   */
  readonly consoleUrl: string | undefined;
  /** Signs session cookies; unset: derived from the operator token (so every admin process agrees). */
  readonly authSecret: string | undefined;
  /**
   * Proxies in front of the admin server that append the client to X-Forwarded-For (0: none, the socket's
   * peer is the client). Sign-in lockouts and sessions key on the address this yields.
   */
  readonly trustedProxyHops: number;
  readonly logLevel: Env['LOG_LEVEL'];
  /** Which answers get an access-log line (written at level info). */
  readonly accessLog: Env['ACCESS_LOG'];
  /** METRICS_PORT when set (0 = off); unset → each app's own default (see metricsPortOf). */
  readonly metricsPort: number | undefined;
  /** API processes on the one port (API_PROCESSES, `auto` = one per core). */
  readonly apiProcesses: number;
  readonly upstream: {
    readonly linkedinBaseUrl: string;
    readonly imageHosts: readonly string[];
    readonly allowPrivate: boolean;
    readonly proxyUrl: string | undefined;
    readonly timeoutMs: number;
    readonly maxBytes: number;
    readonly maxPixels: number;
  };
  readonly resolution: {
    readonly waitMs: number;
    readonly refreshIntervalMs: number;
    readonly noPhotoRecheckMs: number;
    readonly workerConcurrency: number;
  };
  readonly storage:
    | { readonly driver: 'fs'; readonly dir: string }
    | {
        readonly driver: 's3';
        readonly bucket: string;
        readonly region: string;
        readonly endpoint: string | undefined;
        readonly accessKeyId: string | undefined;
        readonly secretAccessKey: string | undefined;
        readonly forcePathStyle: boolean;
      };
  readonly usageFlushMs: number;
  readonly cacheTtlMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const HOUR = 3_600_000;

/** Validates the environment; a bad value throws one line naming the variable and what is allowed. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(
      `invalid ${variable}=${JSON.stringify(present[variable] ?? '')}: ${issue?.message ?? 'invalid value'}`,
    );
  }
  const e = parsed.data;
  if (e.STORAGE_DRIVER === 's3' && !e.S3_BUCKET) {
    throw new ConfigError('invalid S3_BUCKET="": required when STORAGE_DRIVER=s3');
  }
  const dataDir = resolve(e.DATA_DIR);
  const config: Config = {
    databaseUrl: e.DATABASE_URL,
    dataDir,
    host: e.HOST,
    apiPort: e.API_PORT,
    adminPort: e.ADMIN_PORT,
    publicCdnUrl: e.PUBLIC_CDN_URL,
    publicApiUrl: e.PUBLIC_API_URL,
    operatorToken: e.OPERATOR_TOKEN,
    consoleUrl: e.CONSOLE_URL,
    authSecret: e.AUTH_SECRET,
    trustedProxyHops: e.TRUSTED_PROXY_HOPS,
    logLevel: e.LOG_LEVEL,
    accessLog: e.ACCESS_LOG,
    metricsPort: e.METRICS_PORT,
    apiProcesses: e.API_PROCESSES === 'auto' ? availableParallelism() : e.API_PROCESSES,
    upstream: {
      linkedinBaseUrl: e.LINKEDIN_BASE_URL,
      imageHosts: e.UPSTREAM_IMAGE_HOSTS,
      allowPrivate: e.UPSTREAM_ALLOW_PRIVATE,
      proxyUrl: e.UPSTREAM_PROXY_URL,
      timeoutMs: e.UPSTREAM_TIMEOUT_MS,
      maxBytes: e.UPSTREAM_MAX_BYTES,
      maxPixels: e.UPSTREAM_MAX_PIXELS,
    },
    resolution: {
      waitMs: e.RESOLVE_WAIT_MS,
      refreshIntervalMs: e.REFRESH_INTERVAL_HOURS * HOUR,
      noPhotoRecheckMs: e.NO_PHOTO_RECHECK_HOURS * HOUR,
      workerConcurrency: e.WORKER_CONCURRENCY,
    },
    storage:
      e.STORAGE_DRIVER === 's3'
        ? {
            driver: 's3',
            bucket: e.S3_BUCKET as string,
            region: e.S3_REGION,
            endpoint: e.S3_ENDPOINT,
            accessKeyId: e.S3_ACCESS_KEY_ID,
            secretAccessKey: e.S3_SECRET_ACCESS_KEY,
            forcePathStyle: e.S3_FORCE_PATH_STYLE,
          }
        : { driver: 'fs', dir: resolve(dataDir, 'images') },
    usageFlushMs: e.USAGE_FLUSH_MS,
    cacheTtlMs: e.CACHE_TTL_MS,
  };
  return deepFreeze(config);
}

/**
 * The console's URL: CONSOLE_URL, else the admin server's own address on `port` (a wildcard listen
 * address is not one a browser can open, so it becomes localhost).
 */
export function consoleUrlFor(config: Config, port: number = config.adminPort): string {
  return config.consoleUrl ?? ownAddressUrl(config.host, port);
}

/** The public API's URL: PUBLIC_API_URL, else the API's own address (as for the console). */
export function publicApiUrlFor(config: Config): string {
  return config.publicApiUrl ?? ownAddressUrl(config.host, config.apiPort);
}

/** A server's own address as a browser can open it: a wildcard listen address is not one, so it becomes localhost. */
function ownAddressUrl(listenHost: string, port: number): string {
  const host = listenHost === '0.0.0.0' || listenHost === '::' ? 'localhost' : listenHost;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Default metrics ports, one per app so that apps on one host do not collide (CONTRACT §9). */
export const defaultMetricsPorts = { api: 9464, admin: 9465, worker: 9466 } as const;

/** Where the app serves /metrics; 0 means not at all. */
export function metricsPortOf(config: Config, app: keyof typeof defaultMetricsPorts): number {
  return config.metricsPort ?? defaultMetricsPorts[app];
}

/** A config with a database URL filled in (after the all-in-one start has chosen one). */
export function withDatabaseUrl(config: Config, databaseUrl: string): Config {
  return deepFreeze({ ...config, databaseUrl });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
