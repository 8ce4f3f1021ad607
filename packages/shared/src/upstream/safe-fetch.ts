import { createFetch, FetchError } from 'ofetch';
import { fetch as undiciFetch, Headers as UndiciHeaders } from 'undici';
import { createGuardedDispatcher, resolveAllowedAddress } from './guarded-dispatcher.ts';
import { findUpstreamError, UpstreamError } from './upstream-error.ts';

export interface SafeFetchOptions {
  /** Allow loopback and private addresses (UPSTREAM_ALLOW_PRIVATE); link-local stays refused. */
  readonly allowPrivate: boolean;
  /** Time limit for one fetch, redirects and body included (UPSTREAM_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** Largest body read, counted while streaming (UPSTREAM_MAX_BYTES). */
  readonly maxBytes: number;
  readonly proxyUrl?: string | undefined;
}

export interface SafeRequest {
  readonly headers?: Record<string, string>;
  /** A smaller byte limit for this request. */
  readonly maxBytes?: number;
  /** Asked before each redirect is followed; false returns the redirect itself (with `location`). */
  readonly followRedirect?: (location: URL) => boolean;
  readonly signal?: AbortSignal;
}

export interface FetchedResource {
  readonly status: number;
  /** The URL that answered, after the redirects that were followed. */
  readonly url: URL;
  readonly headers: Headers;
  readonly body: Uint8Array;
  /** Where a redirect that was not followed pointed. */
  readonly location?: URL;
}

export interface SafeFetch {
  /** GET with every guard on; throws UpstreamError for anything the guards stop. */
  get(url: string, request?: SafeRequest): Promise<FetchedResource>;
  close(): Promise<void>;
}

export const MAX_REDIRECTS = 3;
const REDIRECT = new Set([301, 302, 303, 307, 308]);

/**
 * Fetching from outside as if it were hostile: http(s) only; connections only to addresses resolved
 * and checked once (redirects included, at most three, followed here one by one); a time limit for
 * the whole exchange; a byte limit counted while reading, whatever Content-Length says.
 */
export function createSafeFetch(options: SafeFetchOptions): SafeFetch {
  const dispatcher = createGuardedDispatcher({
    allowPrivate: options.allowPrivate,
    connectTimeoutMs: options.timeoutMs,
    proxyUrl: options.proxyUrl,
  });
  const $fetch = createFetch({
    fetch: undiciFetch as unknown as typeof globalThis.fetch,
    Headers: UndiciHeaders as unknown as typeof globalThis.Headers,
  });

  async function get(input: string, request: SafeRequest = {}): Promise<FetchedResource> {
    const deadline = AbortSignal.timeout(options.timeoutMs);
    const signal = request.signal ? AbortSignal.any([deadline, request.signal]) : deadline;
    const maxBytes = Math.min(request.maxBytes ?? options.maxBytes, options.maxBytes);
    let url = parseHttpUrl(input);
    for (let hop = 0; ; hop++) {
      // Through a proxy the proxy connects, so the target is checked here instead of at connect time.
      if (options.proxyUrl)
        await resolveAllowedAddress(url.hostname, { ...options, connectTimeoutMs: options.timeoutMs });
      let response: Response;
      try {
        response = await $fetch.raw(url.href, {
          method: 'GET',
          headers: request.headers ?? {},
          redirect: 'manual',
          dispatcher: dispatcher as never,
          signal,
          retry: false,
          ignoreResponseError: true,
          responseType: 'stream',
        });
      } catch (error) {
        throw translate(error, deadline, url);
      }
      const location = response.headers.get('location');
      if (REDIRECT.has(response.status) && location !== null) {
        await response.body?.cancel().catch(() => {});
        const next = parseHttpUrl(location, url);
        if (request.followRedirect && !request.followRedirect(next)) {
          return { status: response.status, url, headers: response.headers, body: new Uint8Array(), location: next };
        }
        if (hop >= MAX_REDIRECTS)
          throw new UpstreamError('too_many_redirects', `more than ${MAX_REDIRECTS} redirects from ${input}`);
        url = next;
        continue;
      }
      const body = await readLimited(response, maxBytes, deadline, url);
      return { status: response.status, url, headers: response.headers, body };
    }
  }

  let closing: Promise<void> | undefined;
  return {
    get,
    close() {
      closing ??= dispatcher.close();
      return closing;
    },
  };
}

function parseHttpUrl(input: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(input, base);
  } catch {
    throw new UpstreamError('scheme_refused', `not a URL: ${input.slice(0, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UpstreamError('scheme_refused', `only http and https may be fetched, not ${url.protocol}`);
  }
  if (url.username || url.password) throw new UpstreamError('scheme_refused', 'URLs with credentials are refused');
  return url;
}

async function readLimited(response: Response, maxBytes: number, deadline: AbortSignal, url: URL): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        break;
      }
      total += next.value.byteLength;
      if (total > maxBytes) throw new UpstreamError('too_large', `${url.host} sent more than ${maxBytes} bytes`);
      chunks.push(next.value);
    }
  } catch (error) {
    throw translate(error, deadline, url);
  } finally {
    // Stops the download and frees the connection when we gave up early.
    if (!done) await reader.cancel().catch(() => {});
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    body.set(c, offset);
    offset += c.byteLength;
  }
  return body;
}

function translate(error: unknown, deadline: AbortSignal, url: URL): UpstreamError {
  const ours = findUpstreamError(error);
  if (ours) return ours;
  if (deadline.aborted) return new UpstreamError('timeout', `${url.host} took too long`, { cause: error });
  const cause = error instanceof FetchError ? (error.cause ?? error) : error;
  return new UpstreamError('network', `${url.host}: ${cause instanceof Error ? cause.message : String(cause)}`, {
    cause,
  });
}
