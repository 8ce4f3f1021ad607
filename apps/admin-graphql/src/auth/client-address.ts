import { getRequestIP, type H3Event } from 'h3';
import { CLIENT_ADDRESS_HEADER } from './better-auth-options.ts';

/**
 * The request as the authentication layers see it: with the socket's address in CLIENT_ADDRESS_HEADER,
 * replacing any value the client sent, so that lockouts and session records key on the real peer.
 */
export function requestWithClientAddress(event: H3Event, body?: BodyInit | null): Request {
  const headers = new Headers(event.req.headers);
  headers.set(CLIENT_ADDRESS_HEADER, clientAddress(event));
  const hasBody = body !== undefined ? body !== null : event.req.method !== 'GET' && event.req.method !== 'HEAD';
  return new Request(event.req.url, {
    method: event.req.method,
    headers,
    ...(hasBody && { body: body === undefined ? event.req.body : body, duplex: 'half' }),
  } as RequestInit);
}

/** The peer's address (never a forwarded header: this server does not know which proxies to trust). */
export function clientAddress(event: H3Event): string {
  return getRequestIP(event) ?? 'unknown';
}
