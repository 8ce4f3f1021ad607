// Signing secrets of publishable keys (CONTRACT §8): rules the admin API enforces and the console shows.

/** Active signing secrets a key may have at once: the one in use and its successor while it is deployed. */
export const MAX_ACTIVE_SIGNING_SECRETS = 2;

/** Every secret starts with this (then 32 random bytes, base64url); after creation only it and the last four are shown. */
export const SIGNING_SECRET_PREFIX = 'avtrz_sig_';
