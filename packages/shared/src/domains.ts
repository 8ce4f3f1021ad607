import { domainToASCII } from 'node:url';
import { isIP } from 'node:net';

/**
 * Allowed domains per key (CONTRACT §2): hostnames, `*.` wildcards for subdomains, or `localhost`.
 * Compared lower-case in ASCII (punycode) form; ports and schemes are ignored.
 */

export class AllowedDomainError extends Error {
  override name = 'AllowedDomainError';
  readonly input: string;
  constructor(input: string, reason: string) {
    super(`"${input}" is not an allowed-domain entry: ${reason}`);
    this.input = input;
  }
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Turns admin input such as `https://Example.com/path`, `Bücher.de:8080` or `*.Example.com` into the
 * stored form (`example.com`, `xn--bcher-kva.de`, `*.example.com`); throws AllowedDomainError otherwise.
 */
export function normalizeAllowedDomain(input: string): string {
  let text = input.trim();
  if (!text) throw new AllowedDomainError(input, 'it is empty');
  let wildcard = false;
  // Accept a full URL: keep only its host.
  const schemeMatch = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text);
  if (schemeMatch) text = text.slice(schemeMatch[0].length);
  if (text.startsWith('*.')) {
    wildcard = true;
    text = text.slice(2);
  }
  if (/[@\s\\]/.test(text)) throw new AllowedDomainError(input, 'enter a host name such as example.com');
  text = text
    .replace(/[/?#].*$/, '')
    .replace(/:\d*$/, '')
    .replace(/\.$/, '');
  if (text.includes('*')) throw new AllowedDomainError(input, 'a wildcard may only stand first, as in *.example.com');
  if (text.startsWith('[') || isIP(text))
    throw new AllowedDomainError(input, 'IP addresses are not allowed; enter a host name');
  const ascii = domainToASCII(text.toLowerCase());
  if (!ascii) throw new AllowedDomainError(input, 'enter a host name such as example.com');
  const labels = ascii.split('.');
  if (ascii.length > 253 || !labels.every((label) => LABEL.test(label))) {
    throw new AllowedDomainError(input, 'enter a host name such as example.com');
  }
  if (ascii === 'localhost') {
    if (wildcard) throw new AllowedDomainError(input, 'use localhost without a wildcard');
    return ascii;
  }
  if (labels.length < 2)
    throw new AllowedDomainError(input, 'a host name needs a dot, as in example.com (or use localhost)');
  return wildcard ? `*.${ascii}` : ascii;
}

/** Normalises and de-duplicates a whole list, keeping the caller's order. */
export function normalizeAllowedDomains(inputs: readonly string[]): string[] {
  return [...new Set(inputs.map(normalizeAllowedDomain))];
}

/**
 * The host a request comes from: the host of `Origin`, or of `Referer` when there is no `Origin`.
 * `null` when a header is present but names no usable host (`Origin: null`, `file:` pages, garbage),
 * `undefined` when neither header is sent.
 */
export function requestSourceHost(
  origin: string | null | undefined,
  referer: string | null | undefined,
): string | null | undefined {
  const header = origin ?? referer;
  if (header === null || header === undefined) return undefined;
  // One parse per request (this runs on the hot path for every keyed request with an allow-list).
  const url = URL.parse(header);
  if (url === null) return null;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const host = url.hostname.replace(/\.$/, '').toLowerCase();
  return host || null;
}

/** Whether `host` (already ASCII, as URL gives it) is on the list. */
export function hostMatchesAllowedDomains(host: string, allowedDomains: readonly string[]): boolean {
  for (const entry of allowedDomains) {
    if (entry.startsWith('*.')) {
      const apex = entry.slice(1); // ".example.com"
      if (host.endsWith(apex) && host.length > apex.length) return true;
    } else if (host === entry) {
      return true;
    }
  }
  return false;
}

/**
 * CONTRACT §2: an empty list is unrestricted; otherwise the source host must match, and a
 * publishable key with a list also refuses requests that carry neither header.
 */
export function isRequestFromAllowedDomain(
  key: { readonly kind: 'publishable' | 'secret'; readonly allowedDomains: readonly string[] },
  origin: string | null | undefined,
  referer: string | null | undefined,
): boolean {
  if (key.allowedDomains.length === 0) return true;
  const host = requestSourceHost(origin, referer);
  if (host === undefined) return key.kind === 'secret';
  if (host === null) return false;
  return hostMatchesAllowedDomains(host, key.allowedDomains);
}
