import { createHmac, timingSafeEqual } from 'node:crypto';
import { EXPIRY_PARAMETER, SIGNATURE_PARAMETER, canonicalSigningString } from '@avtrz/client/canonical';

/** A signed avatar URL checked (CONTRACT §8): admitted without the domain check, or refused with its code. */
export type SignatureCheck =
  | {
      readonly ok: true;
      /** Seconds left before `exp` (answers must not be cached longer); undefined without `exp`. */
      readonly secondsLeft: number | undefined;
    }
  | { readonly ok: false; readonly code: 'invalid_signature' | 'signature_expired'; readonly message?: string };

// The unpadded base64url of a SHA-256 HMAC: 32 bytes, 43 characters.
const SIGNATURE_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const UNIX_SECONDS = /^\d{1,12}$/;

/**
 * Verifies `sig` under each of the key's active secrets, from memory. The comparison is constant-time
 * (the digests always have the same length), and `exp` is read only once the signature holds, so a
 * tampered expiry is an invalid signature, not an expired one.
 */
export function verifySignature(
  path: string,
  query: URLSearchParams,
  secrets: readonly string[],
  nowMs: number,
): SignatureCheck {
  const sent = query.getAll(SIGNATURE_PARAMETER);
  const sig = sent[0];
  if (sent.length !== 1 || sig === undefined || !SIGNATURE_SHAPE.test(sig) || secrets.length === 0)
    return { ok: false, code: 'invalid_signature' };
  const given = Buffer.from(sig, 'base64url');
  const canonical = canonicalSigningString(path, query);
  let matched = false;
  // Every secret is tried, so the time taken does not say which one (or whether the first) matched.
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(canonical).digest();
    if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true;
  }
  if (!matched) return { ok: false, code: 'invalid_signature' };
  const expiry = query.getAll(EXPIRY_PARAMETER);
  if (expiry.length === 0) return { ok: true, secondsLeft: undefined };
  const exp = expiry[0] as string;
  if (expiry.length > 1 || !UNIX_SECONDS.test(exp))
    return { ok: false, code: 'invalid_signature', message: 'exp must be one whole number of Unix seconds.' };
  const secondsLeft = Number(exp) - Math.floor(nowMs / 1000);
  if (secondsLeft <= 0) return { ok: false, code: 'signature_expired' };
  return { ok: true, secondsLeft };
}
