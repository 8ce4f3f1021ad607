import { createHmac, randomBytes } from 'node:crypto';
import type { BetterAuthOptions } from 'better-auth';
import { createAuthMiddleware } from 'better-auth/api';
import type { Db } from '@avtrz/db/client';
import type { Config } from '@avtrz/shared/config';
import type { Logger } from '@avtrz/shared/logger';

/**
 * Better Auth as this installation uses it: email and password only, sessions in PostgreSQL (the
 * `auth_*` tables of migration 0004, snake_case columns), no public sign-up (accounts are made by
 * /setup and by invitations), no emails. The same options build the app's instance and the drift
 * check that compares the migration with what Better Auth expects.
 */

export const AUTH_BASE_PATH = '/api/auth';
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;
/** Sessions last a week and are extended when used on a new day. */
export const SESSION_EXPIRES_IN_SECONDS = 7 * 24 * 3600;
const SESSION_UPDATE_AGE_SECONDS = 24 * 3600;

/**
 * The header that carries the client's socket address to Better Auth. The admin server sets it on every
 * request (and drops one a client sent), so addresses recorded on sessions cannot be forged.
 */
export const CLIENT_ADDRESS_HEADER = 'x-avtrz-client-address';

/** Paths Better Auth would serve that this product has no use for (no sign-up, no emails, no account deletion). */
const DISABLED_PATHS = [
  '/sign-up/email',
  '/request-password-reset',
  '/reset-password',
  '/forget-password',
  '/send-verification-email',
  '/verify-email',
  '/change-email',
  '/delete-user',
  '/link-social',
  '/sign-in/social',
];

const timestamps = { createdAt: 'created_at', updatedAt: 'updated_at' } as const;

export interface AuthOptionsDeps {
  readonly db: Db;
  readonly config: Config;
  readonly consoleUrl: string;
  readonly logger?: Logger | undefined;
}

export function authOptions(deps: AuthOptionsDeps): BetterAuthOptions {
  return {
    appName: 'avtrz',
    baseURL: deps.consoleUrl,
    basePath: AUTH_BASE_PATH,
    secret: authSecret(deps.config, deps.logger),
    trustedOrigins: [deps.consoleUrl],
    database: { db: deps.db as never, type: 'postgres', transaction: true },
    telemetry: { enabled: false },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      revokeSessionsOnPasswordReset: true,
    },
    disabledPaths: DISABLED_PATHS,
    user: {
      modelName: 'auth_user',
      fields: { emailVerified: 'email_verified', ...timestamps },
      additionalFields: {
        // Installation operators; never settable through Better Auth's own endpoints.
        isOperator: { type: 'boolean', fieldName: 'is_operator', required: false, defaultValue: false, input: false },
      },
    },
    session: {
      modelName: 'auth_session',
      fields: {
        userId: 'user_id',
        expiresAt: 'expires_at',
        ipAddress: 'ip_address',
        userAgent: 'user_agent',
        ...timestamps,
      },
      expiresIn: SESSION_EXPIRES_IN_SECONDS,
      updateAge: SESSION_UPDATE_AGE_SECONDS,
    },
    account: {
      modelName: 'auth_account',
      fields: {
        accountId: 'account_id',
        providerId: 'provider_id',
        userId: 'user_id',
        accessToken: 'access_token',
        refreshToken: 'refresh_token',
        idToken: 'id_token',
        accessTokenExpiresAt: 'access_token_expires_at',
        refreshTokenExpiresAt: 'refresh_token_expires_at',
        ...timestamps,
      },
    },
    verification: {
      modelName: 'auth_verification',
      fields: { expiresAt: 'expires_at', ...timestamps },
    },
    // Sign-in failures are counted per email and per address by our own lockout (sign-in-lockout.ts),
    // which answers with a standard Retry-After; Better Auth's limiter keys on the address alone.
    rateLimit: { enabled: false },
    advanced: {
      database: { generateId: 'uuid' },
      useSecureCookies: deps.consoleUrl.startsWith('https:'),
      // Explicit, so that NODE_ENV=test never turns the check off.
      disableOriginCheck: false,
      disableCSRFCheck: false,
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
    },
    hooks: {
      // A password change always ends the person's other sessions, whatever the client asked for.
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path === '/change-password' && ctx.body && typeof ctx.body === 'object') {
          return { context: { body: { ...ctx.body, revokeOtherSessions: true } } };
        }
        return undefined;
      }),
    },
    logger: {
      level: 'warn',
      // Messages only: arguments can hold users, sessions or request bodies, which never go to a log.
      log: (level, message) => {
        const logger = deps.logger;
        if (!logger) return;
        if (level === 'error') logger.error({ scope: 'auth' }, message);
        else if (level === 'warn') logger.warn({ scope: 'auth' }, message);
      },
    },
  };
}

/**
 * AUTH_SECRET, else one derived from the operator token, so that every admin process of an installation
 * signs cookies alike without another secret to distribute (rotating the token ends every session).
 * With neither, a random one for this process: sessions then end when it restarts.
 */
export function authSecret(config: Config, logger?: Logger): string {
  if (config.authSecret) return config.authSecret;
  if (config.operatorToken) {
    return createHmac('sha256', config.operatorToken).update('avtrz console session cookies').digest('base64url');
  }
  logger?.warn('neither AUTH_SECRET nor OPERATOR_TOKEN is set: console sessions end when this process stops');
  return randomBytes(32).toString('base64url');
}
