import type { H3, H3Event } from 'h3';
import type { Db } from '@avtrz/db/client';
import type { Logger } from '@avtrz/shared/logger';
import { AUTH_BASE_PATH } from './better-auth-options.ts';
import type { Accounts } from './better-auth.ts';
import { clientAddress, requestWithClientAddress } from './client-address.ts';
import { readCappedText } from './read-capped.ts';
import {
  addressSubject,
  emailSubject,
  recordFailedSignIn,
  recordSuccessfulSignIn,
  secondsLocked,
} from './sign-in-lockout.ts';

const SIGN_IN_PATH = `${AUTH_BASE_PATH}/sign-in/email`;
/** Far above any sign-in or password change, far below what could hurt the process. */
const MAX_AUTH_BODY_BYTES = 16 * 1024;

/**
 * Better Auth's endpoints at /api/auth/** (sign-in, sign-out, session, password change), behind the
 * sign-in lockout. The console signs in and out through these, with Better Auth's own client.
 */
export interface AuthRouteDeps {
  readonly db: Db;
  readonly accounts: Accounts;
  readonly logger: Logger;
  /** Trusted proxies in front (config.trustedProxyHops). */
  readonly proxyHops: number;
}

export function registerAuthRoute(app: H3, deps: AuthRouteDeps): void {
  app.all(`${AUTH_BASE_PATH}/**`, async (event) => {
    if (event.req.method === 'GET' || event.req.method === 'HEAD') {
      return deps.accounts.handler(requestWithClientAddress(event, deps.proxyHops));
    }
    const body = await readCappedText(event.req, MAX_AUTH_BODY_BYTES);
    if (body === undefined) {
      return Response.json({ code: 'PAYLOAD_TOO_LARGE', message: 'Request body too large.' }, { status: 413 });
    }
    if (event.url.pathname === SIGN_IN_PATH && event.req.method === 'POST') return signInWithLockout(deps, event, body);
    return deps.accounts.handler(requestWithClientAddress(event, deps.proxyHops, body));
  });
}

async function signInWithLockout(deps: AuthRouteDeps, event: H3Event, body: string): Promise<Response> {
  const email = emailOf(body);
  const subjects = {
    email: email === undefined ? undefined : emailSubject(email),
    address: addressSubject(clientAddress(event, deps.proxyHops)),
  };
  const now = new Date();
  const wait = await secondsLocked(deps.db, [subjects.address, ...(subjects.email ? [subjects.email] : [])], now);
  if (wait > 0) {
    return Response.json(
      { code: 'TOO_MANY_ATTEMPTS', message: 'Too many failed sign-ins; try again later.' },
      { status: 429, headers: { 'retry-after': String(wait), 'cache-control': 'no-store' } },
    );
  }
  const response = await deps.accounts.handler(requestWithClientAddress(event, deps.proxyHops, body));
  if (response.status === 401) await recordFailedSignIn(deps.db, subjects, now);
  else if (response.ok && subjects.email) await recordSuccessfulSignIn(deps.db, subjects.email);
  return response;
}

function emailOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { email?: unknown };
    return typeof parsed.email === 'string' ? parsed.email : undefined;
  } catch {
    return undefined;
  }
}
