// The test projects: one per app and package. vitest.config.ts reads this list.
export const projects = [
  'packages/shared',
  'packages/db',
  'apps/api',
  'apps/worker',
  'apps/admin-graphql',
];
