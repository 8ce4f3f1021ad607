import type { AdminClient } from './admin-server.ts';
import { OPERATOR_TOKEN } from './admin-server.ts';

/**
 * The console's calls as a browser on the console's origin makes them: the tRPC router at /trpc (as
 * @trpc/client's httpLink sends them, no batching) and Better Auth's endpoints, with the session cookie.
 */

export interface TrpcResult<T = any> {
  readonly status: number;
  readonly data: T | undefined;
  readonly error: { message: string; data: { code: string; httpStatus: number; avtrzCode: string | null } } | undefined;
  readonly headers: Headers;
  /** The body as text, to check what an answer does not contain. */
  readonly text: string;
}

export interface CallOptions {
  /** `name=value` of the session cookie; none: an anonymous call. */
  readonly cookie?: string | undefined;
  /** The Origin header; default the admin server's own (the console's). null: none sent. */
  readonly origin?: string | null;
}

function headersFor(admin: AdminClient, options: CallOptions): Record<string, string> {
  const origin = options.origin === undefined ? admin.url : options.origin;
  return {
    ...(origin !== null && { origin }),
    ...(options.cookie && { cookie: options.cookie }),
  };
}

export async function trpcQuery<T = any>(
  admin: AdminClient,
  path: string,
  input: unknown,
  options: CallOptions = {},
): Promise<TrpcResult<T>> {
  const search = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const response = await fetch(`${admin.url}/trpc/${path}${search}`, { headers: headersFor(admin, options) });
  return parseTrpc<T>(response);
}

export async function trpcMutate<T = any>(
  admin: AdminClient,
  path: string,
  input: unknown,
  options: CallOptions = {},
): Promise<TrpcResult<T>> {
  const response = await fetch(`${admin.url}/trpc/${path}`, {
    method: 'POST',
    headers: { ...headersFor(admin, options), 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  return parseTrpc<T>(response);
}

async function parseTrpc<T>(response: Response): Promise<TrpcResult<T>> {
  const text = await response.text();
  const body = JSON.parse(text) as { result?: { data: T }; error?: TrpcResult['error'] };
  return { status: response.status, data: body.result?.data, error: body.error, headers: response.headers, text };
}

/** The session cookie a response sets, as `name=value` for the next request's Cookie header. */
export function sessionCookieOf(headers: Headers): string | undefined {
  const cookie = headers.getSetCookie().find((c) => /^(__Secure-)?better-auth\.session_token=[^;]/.test(c));
  return cookie?.split(';')[0];
}

/** POSTs JSON to one of Better Auth's endpoints under /api/auth. */
export async function authPost(
  admin: AdminClient,
  path: string,
  body: unknown,
  options: CallOptions = {},
): Promise<Response> {
  return fetch(`${admin.url}/api/auth${path}`, {
    method: 'POST',
    headers: { ...headersFor(admin, options), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export async function signIn(admin: AdminClient, email: string, password: string): Promise<string> {
  const response = await authPost(admin, '/sign-in/email', { email, password });
  const cookie = sessionCookieOf(response.headers);
  if (response.status !== 200 || !cookie)
    throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return cookie;
}

export const PASSWORD = 'correct horse battery staple';

export interface SetUpPerson {
  readonly cookie: string;
  readonly userId: string;
  readonly workspaceId: string;
  readonly email: string;
}

/** The first account, through /setup's procedure, signed in. */
export async function setUpFirstAccount(
  admin: AdminClient,
  input: { email?: string; password?: string; workspaceName?: string } = {},
): Promise<SetUpPerson> {
  const email = input.email ?? 'owner@example.com';
  const result = await trpcMutate<{ user: { id: string }; workspace: { id: string } }>(admin, 'setup.create', {
    operatorToken: OPERATOR_TOKEN,
    email,
    password: input.password ?? PASSWORD,
    workspaceName: input.workspaceName ?? 'Acme',
  });
  const cookie = sessionCookieOf(result.headers);
  if (!result.data || !cookie) throw new Error(`setup failed: ${result.status} ${result.text}`);
  return { cookie, userId: result.data.user.id, workspaceId: result.data.workspace.id, email };
}

/** An invitation made by an owner and accepted with a new password: the new person, signed in. */
export async function inviteAndJoin(
  admin: AdminClient,
  owner: { cookie: string; workspaceId: string },
  email: string,
  role: 'owner' | 'member' = 'member',
): Promise<{ cookie: string; email: string }> {
  const created = await trpcMutate<{ url: string }>(
    admin,
    'invitations.create',
    { workspaceId: owner.workspaceId, email, role },
    { cookie: owner.cookie },
  );
  if (!created.data) throw new Error(`invitation failed: ${created.text}`);
  const token = tokenOfInvitationUrl(created.data.url);
  const accepted = await trpcMutate(admin, 'invitations.accept', { token, password: PASSWORD });
  const cookie = sessionCookieOf(accepted.headers);
  if (!accepted.data || !cookie) throw new Error(`accepting failed: ${accepted.text}`);
  return { cookie, email };
}

export function tokenOfInvitationUrl(url: string): string {
  const token = new URL(url).hash.replace(/^#token=/, '');
  if (!token) throw new Error(`no token in ${url}`);
  return token;
}
