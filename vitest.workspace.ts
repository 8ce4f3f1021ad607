// The test projects: one per app and package, plus the root scripts (the all-in-one start).
export const projects = [
  'packages/shared',
  'packages/db',
  'packages/client',
  'apps/api',
  'apps/worker',
  'apps/admin-graphql',
  'examples',
  'scripts',
];
