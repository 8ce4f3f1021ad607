/**
 * Active signing secrets a publishable key may have at once (CONTRACT §8): the one in use and its
 * successor while it is deployed. The admin API enforces it; the console says it.
 */
export const MAX_ACTIVE_SIGNING_SECRETS = 2;
