import { H3, type H3Event, HTTPError } from 'h3';
import type { DatabaseHandle } from '@avtrz/db/client';
import { databaseNotReadyReason } from '@avtrz/db/readiness';
import type { Config } from '@avtrz/shared/config';
import { registerHealthRoutes } from '@avtrz/shared/http/health-routes';
import { createAccessLog } from '@avtrz/shared/http/request-logging';
import type { Logger } from '@avtrz/shared/logger';
import type { Registry } from 'prom-client';
import { createImageStorage } from '@avtrz/shared/storage/create-image-storage';
import { createAvatarDecider } from './avatar/avatar-decision.ts';
import { registerAvatarRoute } from './avatar/avatar-route.ts';
import { errorAnswer } from './avatar/avatar-responses.ts';
import { createFallbackBodies } from './avatar/fallback-bodies.ts';
import { registerBatchRoute } from './batch/batch-route.ts';
import { createCdnOrigin } from './cdn/cdn-origin.ts';
import { cdnPathOf, registerCdnRoute } from './cdn/cdn-route.ts';
import { keyCacheTarget, profileCacheTarget } from './changes/change-target.ts';
import { listenForChanges } from './changes/listen-for-changes.ts';
import { type RouteObservation, withAccessLog } from './http/access-log.ts';
import type { OutcomeNames } from './http/answer-outcome.ts';
import { internalError } from './http/internal-error.ts';
import type { NodeInterceptor } from './http/node-route.ts';
import { registerDocsRoute } from './docs/docs-route.ts';
import { createKeyCache } from './keys/key-cache.ts';
import { createMetering } from './metering/create-metering.ts';
import { createApiMetrics } from './metrics/api-metrics.ts';
import { registerOpenApiRoute } from './openapi/openapi-route.ts';
import { createProfileCache } from './profiles/profile-cache.ts';

export interface ApiDeps {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly logger: Logger;
}

export interface ApiApp {
  readonly app: H3;
  /** Answers /v1/avatar from Node's request, ahead of `app` (avatar-route.ts). */
  readonly intercept: NodeInterceptor;
  /** The API's metrics (served on METRICS_PORT by the process that runs it, never on the public port). */
  readonly registry: Registry;
  /** Flushes what is held in memory (usage) and stops listening for changes. */
  close(): Promise<void>;
}

const MiB = 1024 * 1024;
/** Memory bounds: together well under the API's 150 MB budget. */
const LIMITS = { keys: 10_000, profiles: 20_000, fallbackBytes: 2 * MiB, cdnBytes: 32 * MiB } as const;

/** What each route's successful answers are called in the metrics (errors go by their code). */
const OUTCOMES = {
  avatar: { 200: 'fallback', 302: 'redirect', 304: 'not_modified' },
  cdn: { 200: 'image', 304: 'not_modified' },
  batch: { 200: 'ok' },
  other: {},
} as const satisfies Record<string, OutcomeNames>;

/** The public API: /v1/avatar, /v1/avatars, the CDN origin, the OpenAPI document and the docs. */
export async function createApiApp(deps: ApiDeps): Promise<ApiApp> {
  const { config, database, logger } = deps;
  const keys = createKeyCache(database.db, { max: LIMITS.keys, ttlMs: config.cacheTtlMs });
  const profiles = createProfileCache(database.db, {
    max: LIMITS.profiles,
    ttlMs: config.cacheTtlMs,
    waitMs: config.resolution.waitMs,
    publicCdnUrl: config.publicCdnUrl,
  });
  const metering = createMetering(deps);
  const changes = await listenForChanges(
    database.sql,
    [keyCacheTarget(keys), profileCacheTarget(profiles), metering.changes],
    logger,
  );
  const cdnPath = cdnPathOf(config.publicCdnUrl);
  const metrics = createApiMetrics({ caches: { keys, profiles }, metering });
  const accessLog = createAccessLog(logger, config.accessLog);
  const observe = (route: keyof typeof OUTCOMES): RouteObservation => ({
    answers: metrics.answers.route(route),
    outcomes: OUTCOMES[route],
    accessLog,
  });

  const app: H3 = new H3({ onError: (error, event) => answerUnexpected(error, event, logger) });
  registerHealthRoutes(app, () => databaseNotReadyReason(database.db));
  const decider = createAvatarDecider({ keys, profiles, metering });
  const fallbacks = createFallbackBodies({ maxBytes: LIMITS.fallbackBytes });
  const intercept = registerAvatarRoute(app, { decider, fallbacks }, logger, observe('avatar'));
  registerBatchRoute(app, { decider }, logger, observe('batch'));
  registerCdnRoute(
    app,
    cdnPath,
    createCdnOrigin(await createImageStorage(config.storage), { maxBytes: LIMITS.cdnBytes }),
    logger,
    observe('cdn'),
  );
  registerOpenApiRoute(app, { cdnPath });
  registerDocsRoute(app);
  app.all(
    '/**',
    withAccessLog(observe('other'), (event) => errorAnswer('not_found', { head: event.req.method === 'HEAD' })),
  );

  let closing: Promise<void> | undefined;
  return {
    app,
    intercept,
    registry: metrics.registry,
    close: () =>
      (closing ??= (async () => {
        profiles.close();
        await changes.stop();
        await metering.close();
      })()),
  };
}

/** Errors no handler answered: h3's own (a malformed path) or a bug. Never a detail in the body. */
function answerUnexpected(error: HTTPError, event: H3Event, logger: Logger): Response {
  const head = event.req.method === 'HEAD';
  if (!error.unhandled && error.status < 500)
    return errorAnswer(error.status === 405 ? 'method_not_allowed' : 'not_found', { head });
  return internalError(logger, error.cause ?? error, event.url.pathname, head);
}
