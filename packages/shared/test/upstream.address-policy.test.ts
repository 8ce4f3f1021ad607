import { expect, test } from 'vitest';
import { isAddressAllowed } from '../src/upstream/address-policy.ts';

// [address, allowed by default, allowed with UPSTREAM_ALLOW_PRIVATE]
const cases: [string, boolean, boolean][] = [
  ['8.8.8.8', true, true],
  ['2606:4700:4700::1111', true, true],
  ['127.0.0.1', false, true],
  ['::1', false, true],
  ['10.1.2.3', false, true],
  ['192.168.0.10', false, true],
  ['172.16.5.4', false, true],
  ['fd00::1', false, true],
  ['::ffff:10.0.0.1', false, true],
  // Link-local (cloud metadata), multicast, broadcast, unspecified: never.
  ['169.254.169.254', false, false],
  ['::ffff:169.254.169.254', false, false],
  ['fe80::1', false, false],
  ['224.0.0.1', false, false],
  ['ff02::1', false, false],
  ['255.255.255.255', false, false],
  ['0.0.0.0', false, false],
  ['::', false, false],
  ['not-an-address', false, false],
];

test.each(cases)('%s: allowed %s by default, %s with private addresses allowed', (address, strict, lenient) => {
  expect(isAddressAllowed(address, { allowPrivate: false })).toBe(strict);
  expect(isAddressAllowed(address, { allowPrivate: true })).toBe(lenient);
});
