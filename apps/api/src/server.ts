import { listen, type RunningServer } from '@avtrz/shared/http/serve';
import { type ApiApp, type ApiDeps, createApiApp } from './app.ts';
import { keepRequestObjectsYoung } from './processes/heap-tuning.ts';

/** Starts the public API on the configured host and port (or the given port, 0 for a free one). */
export async function startApiServer(
  deps: ApiDeps,
  port = deps.config.apiPort,
  options: { reusePort?: boolean } = {},
): Promise<RunningServer & Pick<ApiApp, 'registry'>> {
  keepRequestObjectsYoung();
  const api = await createApiApp(deps);
  const server = await listen(api.app, {
    host: deps.config.host,
    port,
    reusePort: options.reusePort,
    intercept: api.intercept,
  });
  return {
    ...server,
    registry: api.registry,
    async close() {
      await server.close();
      await api.close();
    },
  };
}
