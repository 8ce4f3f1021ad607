import ipaddr from 'ipaddr.js';

/**
 * Which network addresses an upstream fetch may connect to. Public unicast only; with
 * `allowPrivate` (tests, local development) also loopback and private ranges. Link-local addresses
 * (169.254.0.0/16, fe80::/10: cloud metadata services live there), multicast, broadcast, unspecified
 * and reserved ranges are refused whatever the configuration says.
 */
const ALLOWED_WHEN_PRIVATE = new Set(['loopback', 'private', 'uniqueLocal', 'carrierGradeNat']);

export function addressRange(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return undefined;
  let parsed = ipaddr.parse(address);
  // ::ffff:10.0.0.1 is 10.0.0.1: judge the IPv4 address inside.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range();
}

export function isAddressAllowed(address: string, options: { allowPrivate: boolean }): boolean {
  const range = addressRange(address);
  if (range === undefined) return false;
  if (range === 'unicast') return true;
  return options.allowPrivate && ALLOWED_WHEN_PRIVATE.has(range);
}
