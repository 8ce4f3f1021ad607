import { hash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * API keys: `pk_live_` / `sk_live_`, 30 random base62 characters (178 bits), then a 6-character base62
 * CRC-32 of everything before it. The checksum lets a malformed or mistyped key be refused without a
 * database lookup, and the fixed shape lets secret scanners find leaked keys. Only the SHA-256 of a
 * key is ever stored.
 */
export type ApiKeyKind = 'publishable' | 'secret';

const PREFIX: Record<ApiKeyKind, string> = { publishable: 'pk_live_', secret: 'sk_live_' };
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;
const KEY_PATTERN = /^(pk|sk)_live_([0-9A-Za-z]{30})([0-9A-Za-z]{6})$/;

export interface ParsedApiKey {
  readonly kind: ApiKeyKind;
  readonly key: string;
}

export interface GeneratedApiKey {
  /** The full key: shown once, never stored. */
  readonly key: string;
  readonly kind: ApiKeyKind;
  readonly hash: Buffer;
  /** Safe to display: the type prefix and the first four random characters, e.g. `pk_live_7f3E`. */
  readonly prefix: string;
  readonly last4: string;
}

export function generateApiKey(kind: ApiKeyKind): GeneratedApiKey {
  const body = PREFIX[kind] + randomBase62(RANDOM_LENGTH);
  const key = body + checksum(body);
  return { key, kind, hash: hashApiKey(key), prefix: key.slice(0, PREFIX[kind].length + 4), last4: key.slice(-4) };
}

/** The key's kind when its shape and checksum are right; undefined for anything else. */
export function parseApiKey(candidate: string): ParsedApiKey | undefined {
  const match = KEY_PATTERN.exec(candidate);
  if (!match) return undefined;
  const body = candidate.slice(0, -CHECKSUM_LENGTH);
  if (checksum(body) !== candidate.slice(-CHECKSUM_LENGTH)) return undefined;
  return { kind: match[1] === 'pk' ? 'publishable' : 'secret', key: candidate };
}

/** The kind a key's prefix names (`pk_live_`, `sk_live_`), shape and checksum unchecked. */
export function apiKeyKindOf(candidate: string): ApiKeyKind | undefined {
  if (candidate.startsWith(PREFIX.secret)) return 'secret';
  if (candidate.startsWith(PREFIX.publishable)) return 'publishable';
  return undefined;
}

/** True for strings that look like our keys at a glance (prefix), whether or not they are valid. */
export function looksLikeApiKey(candidate: string): boolean {
  return candidate.startsWith('pk_') || candidate.startsWith('sk_');
}

/**
 * The SHA-256 of a key, as stored in `key_hash`. The one-shot `hash()` builds no Hash object: this runs
 * on every /v1/avatar request, where `createHash()` cost about 2 µs of the answer's ~15.
 */
export function hashApiKey(key: string): Buffer {
  return hash('sha256', key, 'buffer');
}

/** The same digest in base64: a string, for maps keyed by key hash in memory. */
export function hashApiKeyBase64(key: string): string {
  return hash('sha256', key, 'base64');
}

function checksum(body: string): string {
  let n = crc32(body);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    // Rejection sampling keeps every character uniform (248 = 4 × 62).
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}
