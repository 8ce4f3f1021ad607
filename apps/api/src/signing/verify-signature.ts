import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { EXPIRY_PARAMETER, SIGNATURE_PARAMETER, canonicalSigningString } from '@avtrz/client/canonical';
import type { RequestTarget } from '../http/incoming-request.ts';

/** A signed avatar URL checked (CONTRACT §8): admitted without the domain check, or refused with its code. */
export type SignatureCheck =
  | {
      readonly ok: true;
      /** Seconds left before `exp` (answers must not be cached longer); undefined without `exp`. */
      readonly secondsLeft: number | undefined;
    }
  | { readonly ok: false; readonly code: 'invalid_signature' | 'signature_expired'; readonly message?: string };

/** What the verifier needs of a key: its active secrets, fixed for the life of this object. */
export interface SigningKey {
  readonly signingSecrets: readonly string[];
}

export interface SignatureVerifier {
  /**
   * `url.search` is the query string as sent (`?…`); its parameters are read only for a URL not verified
   * before: a URL verified before costs one lookup, with no parse of its query.
   */
  verify(
    key: SigningKey,
    path: string,
    url: Pick<RequestTarget, 'search' | 'searchParams'>,
    nowMs: number,
  ): SignatureCheck;
}

// The unpadded base64url of a SHA-256 HMAC: 32 bytes, 43 characters.
const SIGNATURE_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const UNIX_SECONDS = /^\d{1,12}$/;
const INVALID: SignatureCheck = Object.freeze({ ok: false, code: 'invalid_signature' });
const EXPIRED: SignatureCheck = Object.freeze({ ok: false, code: 'signature_expired' });
const NO_EXPIRY: SignatureCheck = Object.freeze({ ok: true, secondsLeft: undefined });

interface Verified {
  /** The key object the URL was verified for: a reloaded key (new secrets, a revocation) is a new object. */
  readonly key: SigningKey;
  readonly exp: number | undefined;
}

/**
 * Verifies `sig` under each of the key's active secrets, from memory. The comparison is constant-time
 * (the digests always have the same length), every secret is tried, and `exp` is read only once the
 * signature holds, so a tampered expiry is an invalid signature, not an expired one.
 *
 * A signed URL is usually requested again and again (an email opened by many, an app's list): a URL
 * verified once for a key is remembered (bounded), so the next requests cost one lookup instead of an
 * HMAC. The memory holds only URLs that verified, for the exact key object they verified under.
 */
export function createSignatureVerifier(options: { maxRemembered?: number } = {}): SignatureVerifier {
  const verified = new LRUCache<string, Verified>({ max: options.maxRemembered ?? 10_000 });
  // HMAC keys made once per secret list (a KeyObject is ~40 % cheaper per HMAC than a string key).
  const hmacKeys = new WeakMap<readonly string[], KeyObject[]>();
  const keysOf = (secrets: readonly string[]) => {
    let keys = hmacKeys.get(secrets);
    if (!keys) hmacKeys.set(secrets, (keys = secrets.map((s) => createSecretKey(Buffer.from(s, 'utf8')))));
    return keys;
  };

  function expiryCheck(exp: number | undefined, nowMs: number): SignatureCheck {
    if (exp === undefined) return NO_EXPIRY;
    const secondsLeft = exp - Math.floor(nowMs / 1000);
    return secondsLeft <= 0 ? EXPIRED : { ok: true, secondsLeft };
  }

  return {
    verify(key, path, url, nowMs) {
      const id = `${path}${url.search}`;
      const known = verified.get(id);
      if (known?.key === key) return expiryCheck(known.exp, nowMs);
      const query = url.searchParams;

      const sent = query.getAll(SIGNATURE_PARAMETER);
      const sig = sent[0];
      if (sent.length !== 1 || sig === undefined || !SIGNATURE_SHAPE.test(sig) || key.signingSecrets.length === 0)
        return INVALID;
      const given = Buffer.from(sig, 'base64url');
      const canonical = canonicalSigningString(path, query);
      let matched = false;
      for (const hmacKey of keysOf(key.signingSecrets)) {
        const expected = createHmac('sha256', hmacKey).update(canonical).digest();
        if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true;
      }
      if (!matched) return INVALID;
      const expiry = query.getAll(EXPIRY_PARAMETER);
      let exp: number | undefined;
      if (expiry.length > 0) {
        const text = expiry[0] as string;
        if (expiry.length > 1 || !UNIX_SECONDS.test(text))
          return { ok: false, code: 'invalid_signature', message: 'exp must be one whole number of Unix seconds.' };
        exp = Number(text);
      }
      verified.set(id, { key, exp });
      return expiryCheck(exp, nowMs);
    },
  };
}
