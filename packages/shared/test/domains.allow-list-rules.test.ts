import { describe, expect, test } from 'vitest';
import {
  AllowedDomainError,
  hostMatchesAllowedDomains,
  isRequestFromAllowedDomain,
  normalizeAllowedDomain,
  normalizeAllowedDomains,
} from '../src/domains.ts';

describe('allowed-domain input', () => {
  test.each([
    ['example.com', 'example.com'],
    ['Example.COM', 'example.com'],
    ['https://Example.com/path?q=1', 'example.com'],
    ['http://example.com:8080', 'example.com'],
    ['example.com.', 'example.com'],
    ['*.Example.com', '*.example.com'],
    ['https://*.example.com/', '*.example.com'],
    ['Bücher.de', 'xn--bcher-kva.de'],
    ['*.bücher.de', '*.xn--bcher-kva.de'],
    ['localhost', 'localhost'],
    ['http://localhost:3000', 'localhost'],
    ['  app.example.co.uk  ', 'app.example.co.uk'],
  ])('%j is stored as %j', (input, stored) => {
    expect(normalizeAllowedDomain(input)).toBe(stored);
  });

  test.each([
    ['', 'it is empty'],
    ['   ', 'it is empty'],
    ['*', 'wildcard'],
    ['*.com', 'needs a dot'],
    ['com', 'needs a dot'],
    ['exa mple.com', 'enter a host name'],
    ['user@example.com', 'enter a host name'],
    ['192.168.1.1', 'IP addresses are not allowed'],
    ['[::1]', 'IP addresses are not allowed'],
    ['a.*.example.com', 'wildcard may only stand first'],
    ['-bad-.example.com', 'enter a host name'],
    ['*.localhost', 'without a wildcard'],
  ])('%j is refused with a reason', (input, reason) => {
    expect(() => normalizeAllowedDomain(input)).toThrow(AllowedDomainError);
    expect(() => normalizeAllowedDomain(input)).toThrow(reason);
  });

  test('a list is normalised and de-duplicated in order', () => {
    expect(normalizeAllowedDomains(['B.com', 'https://a.com/x', 'b.com'])).toEqual(['b.com', 'a.com']);
  });
});

describe('matching the calling page', () => {
  const list = ['example.com', '*.example.org', 'localhost', 'xn--bcher-kva.de'];
  test.each([
    ['example.com', true],
    ['www.example.com', false],
    ['a.example.org', true],
    ['a.b.example.org', true],
    ['example.org', false],
    ['evilexample.org', false],
    ['example.org.evil.com', false],
    ['localhost', true],
    ['xn--bcher-kva.de', true],
  ])('%s → %s', (host, allowed) => {
    expect(hostMatchesAllowedDomains(host, list)).toBe(allowed);
  });

  const publishable = { kind: 'publishable' as const, allowedDomains: ['example.com', '*.example.org'] };
  const secret = { kind: 'secret' as const, allowedDomains: ['example.com'] };
  test.each([
    ['https://example.com', null, true],
    ['https://EXAMPLE.com:8443', null, true],
    [null, 'https://example.com/page?x=1', true],
    [null, 'https://example.com@evil.com/', false],
    [null, 'https://evil.com/?https://example.com', false],
    ['null', null, false],
    ['https://evil.com', 'https://example.com/', false],
    ['file:///etc/passwd', null, false],
    ['not a url', null, false],
    ['https://bücher.example.org', null, true],
  ])('publishable key, Origin %j, Referer %j → %s', (origin, referer, allowed) => {
    expect(isRequestFromAllowedDomain(publishable, origin, referer)).toBe(allowed);
  });

  test('a publishable key with a list refuses requests with neither header; a secret key does not', () => {
    expect(isRequestFromAllowedDomain(publishable, null, null)).toBe(false);
    expect(isRequestFromAllowedDomain(secret, null, null)).toBe(true);
    expect(isRequestFromAllowedDomain(secret, 'https://evil.com', null)).toBe(false);
  });

  test('an empty list is unrestricted', () => {
    expect(isRequestFromAllowedDomain({ kind: 'publishable', allowedDomains: [] }, 'null', null)).toBe(true);
  });
});
