import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { generateApiKey, hashApiKey, hashApiKeyBase64, parseApiKey } from '../src/api-key.ts';

describe('API keys', () => {
  test.each(['publishable', 'secret'] as const)('a generated %s key parses back to its kind', (kind) => {
    const generated = generateApiKey(kind);
    expect(generated.key).toMatch(kind === 'publishable' ? /^pk_live_[0-9A-Za-z]{36}$/ : /^sk_live_[0-9A-Za-z]{36}$/);
    expect(parseApiKey(generated.key)).toEqual({ kind, key: generated.key });
    expect(generated.hash.equals(hashApiKey(generated.key))).toBe(true);
    expect(generated.hash).toHaveLength(32);
    expect(generated.prefix).toBe(generated.key.slice(0, 12));
    expect(generated.last4).toBe(generated.key.slice(-4));
  });

  test('a key is stored and cached as its SHA-256, the same digest in bytes and in base64', () => {
    const { key, hash } = generateApiKey('secret');
    const reference = createHash('sha256').update(key, 'utf8').digest();
    expect(hash.equals(reference)).toBe(true);
    expect(hashApiKey(key).equals(reference)).toBe(true);
    expect(hashApiKeyBase64(key)).toBe(reference.toString('base64'));
  });

  test('keys are random: no two of many are alike', () => {
    const keys = new Set(Array.from({ length: 2000 }, () => generateApiKey('secret').key));
    expect(keys.size).toBe(2000);
  });

  test('any single-character typo is caught by the checksum', () => {
    const { key } = generateApiKey('publishable');
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: key.length - 1 }),
        fc.constantFrom(...alphabet),
        (position, replacement) => {
          fc.pre(key[position] !== replacement);
          const typo = key.slice(0, position) + replacement + key.slice(position + 1);
          expect(parseApiKey(typo)).toBeUndefined();
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('swapping two neighbouring characters is caught', () => {
    const { key } = generateApiKey('secret');
    for (let i = 8; i < key.length - 1; i++) {
      if (key[i] === key[i + 1]) continue;
      const swapped = key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
      expect(parseApiKey(swapped)).toBeUndefined();
    }
  });

  test.each([
    '',
    'pk_live_',
    'pk_test_0123456789012345678901234567890123456',
    'Bearer sk_live_abc',
    'xk_live_012345678901234567890123456789ABCDEF',
    'pk_live_7f3e21bc94aa',
  ])('malformed %j is not a key', (candidate) => {
    expect(parseApiKey(candidate)).toBeUndefined();
  });

  test('a publishable key cannot be turned into a secret one by editing its prefix', () => {
    const { key } = generateApiKey('publishable');
    expect(parseApiKey(`s${key.slice(1)}`)).toBeUndefined();
  });
});
