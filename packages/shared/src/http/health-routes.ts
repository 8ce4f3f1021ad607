import type { H3 } from 'h3';

export interface ReadinessCheck {
  /** Resolves to a reason when the app cannot serve yet, or undefined when it is ready. */
  (): Promise<string | undefined>;
}

export interface HealthRouteOptions {
  /**
   * How long /readyz waits for its check before answering 503. Default 750 ms: an orchestrator must
   * be able to tell "down" from "hung", so the answer never waits on a database that does not reply.
   */
  readonly readinessTimeoutMs?: number;
}

/**
 * /healthz says the process is alive (for restarts); /readyz says it can serve: the database answers
 * and its migrations are current (for load balancers). Neither touches a key or counts as usage.
 */
export function registerHealthRoutes(app: H3, readiness: ReadinessCheck, options: HealthRouteOptions = {}): void {
  const timeoutMs = options.readinessTimeoutMs ?? 750;
  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/readyz', async (event) => {
    let reason: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      reason = await Promise.race([
        readiness(),
        new Promise<string>((resolve) => {
          timer = setTimeout(() => resolve(`no answer from the database within ${timeoutMs} ms`), timeoutMs);
        }),
      ]);
    } catch (error) {
      reason = error instanceof Error ? error.message : 'not ready';
    } finally {
      clearTimeout(timer);
    }
    event.res.headers.set('cache-control', 'no-store');
    if (reason === undefined) return { status: 'ready' };
    event.res.status = 503;
    return { status: 'not_ready', reason };
  });
}
