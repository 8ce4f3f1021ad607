import { listen, type RunningServer } from '@avtrz/shared/http/serve';
import { type AdminDeps, createAdminApp } from './app.ts';

/** Starts the admin API on the configured host and port (or the given port, 0 for a free one). */
export async function startAdminServer(deps: AdminDeps, port = deps.config.adminPort): Promise<RunningServer> {
  const admin = await createAdminApp(deps);
  const server = await listen(admin.app, { host: deps.config.host, port });
  return {
    ...server,
    async close() {
      await server.close();
      await admin.close();
    },
  };
}
