import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { loadConfig } from '@avtrz/shared/config';

// `pnpm --filter @avtrz/console dev`: hot reload here, data from a running admin server (HOST and
// ADMIN_PORT as the admin server reads them), so cookies and the Origin check see one origin.
export default defineConfig(({ command }) => {
  const server =
    command === 'serve'
      ? (() => {
          const config = loadConfig();
          const target = `http://${config.host}:${config.adminPort}`;
          // The admin server refuses state-changing calls from another origin: the proxy speaks as its own.
          const asAdminOrigin = { target, changeOrigin: true, headers: { origin: target } };
          return { proxy: { '/trpc': asAdminOrigin, '/api/auth': asAdminOrigin } };
        })()
      : undefined;
  return {
    plugins: [react()],
    server,
    build: {
      // Hashed file names under /assets/ are what the admin server caches for a year.
      assetsDir: 'assets',
      sourcemap: false,
      // No inline script: the Content-Security-Policy forbids it.
      modulePreload: { polyfill: false },
    },
  };
});
