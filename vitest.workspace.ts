// The test projects: one per app and package, plus the root scripts (the all-in-one start).
export const projects = [
  'packages/shared',
  'packages/db',
  'apps/api',
  'apps/worker',
  'apps/admin-graphql',
  'apps/console',
  'scripts',
];
