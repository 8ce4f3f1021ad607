import type { H3 } from 'h3';

export interface ReadinessCheck {
  /** Resolves to a reason when the app cannot serve yet, or undefined when it is ready. */
  (): Promise<string | undefined>;
}

/**
 * /healthz says the process is alive (for restarts); /readyz says it can serve: the database answers
 * and its migrations are current (for load balancers). Neither touches a key or counts as usage.
 */
export function registerHealthRoutes(app: H3, readiness: ReadinessCheck): void {
  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/readyz', async (event) => {
    let reason: string | undefined;
    try {
      reason = await readiness();
    } catch (error) {
      reason = error instanceof Error ? error.message : 'not ready';
    }
    event.res.headers.set('cache-control', 'no-store');
    if (reason === undefined) return { status: 'ready' };
    event.res.status = 503;
    return { status: 'not_ready', reason };
  });
}
