import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { projects } from './vitest.workspace.ts';

export default defineConfig({
  test: {
    projects: projects.map((root) => ({
      extends: false,
      // Node resolves bare `graphql` to its CommonJS entry (graphql 16 has no `exports`), and so do
      // Pothos and Yoga; Vite would pick index.mjs for our own imports, giving two graphql instances.
      resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
      test: {
        name: root.split('/').at(-1),
        root,
        include: ['test/**/*.test.ts'],
        environment: 'node',
        globalSetup: [
          new URL('./packages/db/src/testing/global-setup.ts', import.meta.url).pathname,
          // A project's own once-per-run setup (the console builds itself for its browser tests).
          ...[new URL(`./${root}/test/global-setup.ts`, import.meta.url).pathname].filter((file) => existsSync(file)),
        ],
        testTimeout: 30_000,
        hookTimeout: 60_000,
        pool: 'forks',
        // Apps a test starts as processes inherit this: no test binds the fixed metrics ports.
        env: { METRICS_PORT: '0' },
      },
    })),
  },
});
