import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Agent, buildConnector, type Dispatcher, ProxyAgent } from 'undici';
import { isAddressAllowed } from './address-policy.ts';
import { UpstreamError } from './upstream-error.ts';

export interface GuardOptions {
  /** Allow loopback and private addresses (UPSTREAM_ALLOW_PRIVATE); link-local stays refused. */
  readonly allowPrivate: boolean;
  /** Limit for DNS plus the TCP/TLS handshake, in ms. */
  readonly connectTimeoutMs: number;
  /** Outbound proxy (UPSTREAM_PROXY_URL); the proxy then makes the connection. */
  readonly proxyUrl?: string | undefined;
}

/**
 * Resolves a host once and returns the address to connect to; refuses the host when any of its
 * addresses is not allowed, so that a name with one public and one internal address cannot be used
 * to reach the internal one.
 */
export async function resolveAllowedAddress(
  hostname: string,
  options: Pick<GuardOptions, 'allowPrivate' | 'connectTimeoutMs'>,
): Promise<{ address: string; family: number }> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [{ address: host, family: isIP(host) }]
    : await withTimeout(lookup(host, { all: true, verbatim: true }), options.connectTimeoutMs, host);
  const first = addresses[0];
  if (!first) throw new UpstreamError('network', `${host} has no address`);
  for (const a of addresses) {
    if (!isAddressAllowed(a.address, options)) {
      throw new UpstreamError(
        'address_refused',
        `${host} resolves to ${a.address}, which upstream fetches may not reach`,
      );
    }
  }
  return first;
}

/**
 * An undici dispatcher whose every connection goes to an address we resolved and checked ourselves
 * (no second DNS lookup that could answer differently). With a proxy, the target is checked before
 * the request instead (see safe-fetch), and the proxy makes the connection.
 */
export function createGuardedDispatcher(options: GuardOptions): Dispatcher {
  if (options.proxyUrl) {
    return new ProxyAgent({ uri: options.proxyUrl, connectTimeout: options.connectTimeoutMs });
  }
  const connect = buildConnector({ timeout: options.connectTimeoutMs });
  return new Agent({
    connections: 16,
    connect(opts, callback) {
      resolveAllowedAddress(opts.hostname, options).then(
        ({ address }) => {
          const servername = opts.servername ?? (isIP(opts.hostname) ? undefined : opts.hostname);
          connect({ ...opts, hostname: address, ...(servername ? { servername } : {}) }, callback);
        },
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
      );
    },
  });
}

async function withTimeout<T>(promise: Promise<T>, ms: number, host: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UpstreamError('timeout', `resolving ${host} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
