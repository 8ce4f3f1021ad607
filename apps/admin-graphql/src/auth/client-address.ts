import { isIP } from 'node:net';
import { getRequestIP, type H3Event } from 'h3';
import { CLIENT_ADDRESS_HEADER } from './better-auth-options.ts';

/**
 * The request as the authentication layers see it: with the client's address in CLIENT_ADDRESS_HEADER,
 * replacing any value the client sent, so that lockouts and session records key on the real peer.
 */
export function requestWithClientAddress(event: H3Event, proxyHops: number, body?: BodyInit | null): Request {
  const headers = new Headers(event.req.headers);
  headers.set(CLIENT_ADDRESS_HEADER, clientAddress(event, proxyHops));
  const hasBody = body !== undefined ? body !== null : event.req.method !== 'GET' && event.req.method !== 'HEAD';
  return new Request(event.req.url, {
    method: event.req.method,
    headers,
    ...(hasBody && { body: body === undefined ? event.req.body : body, duplex: 'half' }),
  } as RequestInit);
}

/**
 * The client's address: the socket's peer, or with `proxyHops` trusted proxies in front, the entry of
 * X-Forwarded-For the outermost of them appended (entries further left are the client's to forge).
 */
export function clientAddress(event: H3Event, proxyHops: number): string {
  const peer = getRequestIP(event) ?? 'unknown';
  if (proxyHops === 0) return peer;
  const forwarded = event.req.headers
    .get('x-forwarded-for')
    ?.split(',')
    .map((entry) => entry.trim());
  const candidate = forwarded?.[forwarded.length - proxyHops];
  return candidate && isIP(candidate) ? candidate : peer;
}
