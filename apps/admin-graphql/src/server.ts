import { H3 } from 'h3';
import { consoleUrlFor } from '@avtrz/shared/config';
import { listen, type RunningServer } from '@avtrz/shared/http/serve';
import { type AdminDeps, type AdminApp, createAdminApp } from './app.ts';

/** Starts the admin API on the configured host and port (or the given port, 0 for a free one). */
export async function startAdminServer(
  deps: AdminDeps,
  port = deps.config.adminPort,
): Promise<RunningServer & Pick<AdminApp, 'registry'>> {
  let admin: AdminApp;
  let server: RunningServer;
  if (port === 0 && !deps.consoleUrl && !deps.config.consoleUrl) {
    // The console's origin is this server's own address, known only once a free port is bound: the app is
    // built right after, and the listener hands every request to it (nobody can know the port before).
    let built: AdminApp | undefined;
    const shell = new H3().use((event) => {
      if (!built) return new Response('starting', { status: 503 });
      return built.app.fetch(event.req);
    });
    server = await listen(shell, { host: deps.config.host, port });
    admin = built = await createAdminApp({ ...deps, consoleUrl: consoleUrlFor(deps.config, server.port) });
  } else {
    admin = await createAdminApp(deps);
    server = await listen(admin.app, { host: deps.config.host, port });
  }
  return {
    ...server,
    registry: admin.registry,
    async close() {
      await server.close();
      await admin.close();
    },
  };
}
