import { betterAuth } from 'better-auth';
import { type AuthOptionsDeps, authOptions } from './better-auth-options.ts';

/** The app's Better Auth instance and the few things the rest of the admin server asks of it. */

export interface SessionUser {
  readonly userId: string;
  readonly sessionId: string;
}

export interface Accounts {
  /** Better Auth's own fetch handler, mounted at /api/auth/**. */
  handler(request: Request): Promise<Response>;
  /** The signed-in person behind the request's session cookie, or null; refreshes the cookie into `responseHeaders`. */
  session(requestHeaders: Headers, responseHeaders?: Headers): Promise<SessionUser | null>;
  /** Signs a person in through Better Auth (the session cookie lands in `responseHeaders`). */
  signIn(
    credentials: { email: string; password: string },
    requestHeaders: Headers,
    responseHeaders: Headers,
  ): Promise<void>;
  /** Hashes a password with Better Auth's own hasher (scrypt), so its sign-in verifies it. */
  hashPassword(password: string): Promise<string>;
}

export function createAccounts(deps: AuthOptionsDeps): Accounts {
  const auth = betterAuth(authOptions(deps));
  return {
    handler: (request) => auth.handler(request),
    async session(requestHeaders, responseHeaders) {
      const { headers, response } = await auth.api.getSession({ headers: requestHeaders, returnHeaders: true });
      if (responseHeaders) copySetCookies(headers, responseHeaders);
      return response ? { userId: response.user.id, sessionId: response.session.id } : null;
    },
    async signIn(credentials, requestHeaders, responseHeaders) {
      const { headers } = await auth.api.signInEmail({
        body: credentials,
        headers: requestHeaders,
        returnHeaders: true,
      });
      copySetCookies(headers, responseHeaders);
    },
    async hashPassword(password) {
      return (await auth.$context).password.hash(password);
    },
  };
}

function copySetCookies(from: Headers, to: Headers): void {
  for (const cookie of from.getSetCookie()) to.append('set-cookie', cookie);
}
