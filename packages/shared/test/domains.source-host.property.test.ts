import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { requestSourceHost } from '../src/domains.ts';

/** What the URL parser says the host is: the rule requestSourceHost must give for every header. */
function hostByUrlParser(header: string): string | null {
  const url = URL.parse(header);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) return null;
  return url.hostname.replace(/\.$/, '').toLowerCase() || null;
}

const prefixes = ['https://', 'http://', 'HTTPS://', 'http:/', 'https:///', 'ftp://', 'file:///', ' https://', ''];
// Characters where the URL parser reads hosts differently from plain text: case, IDN, IPv4 forms,
// punycode, ports, userinfo, separators, escapes, whitespace.
const hostParts = [
  'a',
  'z',
  'Q',
  'ü',
  '0',
  '1',
  '9',
  '0x',
  'x',
  'f',
  '-',
  '.',
  '..',
  ':',
  ':80',
  ':65536',
  ':8a',
  '/',
  '?',
  '#',
  '@',
  '%41',
  '\\',
  '[',
  ']',
  '::1',
  ' ',
  '\t',
  'xn--',
  'xn--bcher-kva',
  'com',
  'localhost',
  '127',
  '255',
];
const header = fc
  .tuple(fc.constantFrom(...prefixes), fc.array(fc.constantFrom(...hostParts), { maxLength: 12 }))
  .map(([prefix, parts]) => prefix + parts.join(''));

describe('the host a request comes from', () => {
  test.each([
    ['https://www.example.com/team?x=1', 'www.example.com'],
    ['http://localhost:3000', 'localhost'],
    ['https://Example.COM:8443/', 'example.com'],
    ['https://example.com./', 'example.com'],
    ['https://bücher.de/', 'xn--bcher-kva.de'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['https://a.example.com:99999/', null],
    ['https://user@example.com/', 'example.com'],
    ['null', null],
    ['file:///etc/passwd', null],
  ])('%j → %j', (value, host) => {
    expect(requestSourceHost(value, null)).toBe(host);
    expect(requestSourceHost(null, value)).toBe(host);
  });

  test('Origin wins over Referer; neither header is undefined', () => {
    expect(requestSourceHost('https://a.example', 'https://b.example/')).toBe('a.example');
    expect(requestSourceHost(null, null)).toBeUndefined();
  });

  test('is the URL parser’s host for any header (the fast path reads plain hosts without it)', () => {
    fc.assert(
      fc.property(header, (value) => {
        expect(requestSourceHost(value, null)).toBe(hostByUrlParser(value));
      }),
      { numRuns: 20_000 },
    );
  });
});
