import { defineConfig } from 'vitest/config';
import { projects } from './vitest.workspace.ts';

export default defineConfig({
  test: {
    projects: projects.map((root) => ({
      extends: false,
      test: {
        name: root.split('/')[1],
        root,
        include: ['test/**/*.test.ts'],
        environment: 'node',
        globalSetup: ['../../packages/db/src/testing/global-setup.ts'],
        testTimeout: 30_000,
        hookTimeout: 60_000,
        pool: 'forks',
      },
    })),
  },
});
