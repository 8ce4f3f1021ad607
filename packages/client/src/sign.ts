import { canonicalSigningString, EXPIRY_PARAMETER, SIGNATURE_PARAMETER } from './canonical.ts';

export interface SignOptions {
  /** When the URL stops working: a Date, or Unix seconds. Leave out (with `expiresIn`) for no expiry. */
  readonly expiresAt?: Date | number | undefined;
  /** Seconds from now until the URL stops working. */
  readonly expiresIn?: number | undefined;
  /** For tests: the current time in milliseconds. */
  readonly now?: number | undefined;
}

const encoder = new TextEncoder();

/**
 * Signs an avatar URL (from `avatarUrl()`, with the publishable key in it) with one of the key's signing
 * secrets, so that it is served without the domain check: for emails, native apps and pages sent with
 * `Referrer-Policy: no-referrer`. HMAC-SHA256 through Web Crypto, so it runs in Node, Deno and Bun.
 * Server only: the signing secret must never reach a browser, so calling it in one throws.
 */
export async function signAvatarUrl(url: string | URL, secret: string, options: SignOptions = {}): Promise<string> {
  if (typeof (globalThis as { document?: unknown }).document !== 'undefined') {
    throw new Error('signAvatarUrl() needs a signing secret: call it on your server, never in a browser.');
  }
  const signed = new URL(url);
  signed.searchParams.delete(SIGNATURE_PARAMETER);
  const exp = expiryOf(options);
  if (exp !== undefined) signed.searchParams.set(EXPIRY_PARAMETER, String(exp));
  const canonical = canonicalSigningString(signed.pathname, signed.searchParams);
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(canonical)));
  // The query as signed (sorted, encoded the same way), then the signature.
  signed.search = `${canonical.slice(signed.pathname.length + 1)}&${SIGNATURE_PARAMETER}=${base64Url(mac)}`;
  return signed.toString();
}

function expiryOf(options: SignOptions): number | undefined {
  if (options.expiresAt instanceof Date) return Math.floor(options.expiresAt.getTime() / 1000);
  if (typeof options.expiresAt === 'number') return Math.floor(options.expiresAt);
  if (options.expiresIn !== undefined) return Math.floor((options.now ?? Date.now()) / 1000 + options.expiresIn);
  return undefined;
}

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
