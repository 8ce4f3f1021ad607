import { DomainError } from './errors.ts';

/**
 * LinkedIn profile naming (CONTRACT §1). The canonical handle is the decoded handle, NFC-normalised and
 * lower-cased: `Alex-Rivera`, `alex-rivera` and `linkedin.com/in/ALEX-RIVERA/` are one profile.
 */

// Letters of any script (with their combining marks), digits, '-' and '_'.
const HANDLE = /^[\p{L}\p{M}\p{Nd}_-]+$/u;
const MIN_LENGTH = 3;
const MAX_LENGTH = 100;

/** The canonical form of a handle, or undefined when it breaks the handle rules. */
export function canonicalHandle(raw: string): string | undefined {
  const handle = raw.normalize('NFC').toLowerCase().normalize('NFC');
  const length = [...handle].length;
  if (length < MIN_LENGTH || length > MAX_LENGTH || !HANDLE.test(handle)) return undefined;
  return handle;
}

/** `username` parameter → canonical handle; throws `invalid_username`. */
export function parseUsername(input: string): string {
  const handle = canonicalHandle(input);
  if (handle === undefined) throw new DomainError('invalid_username');
  return handle;
}

/** `linkedin_url` parameter → canonical handle; throws `invalid_linkedin_url`. */
export function parseLinkedinUrl(input: string): string {
  const handle = handleFromLinkedinUrl(input);
  if (handle === undefined) throw new DomainError('invalid_linkedin_url');
  return handle;
}

function handleFromLinkedinUrl(input: string): string | undefined {
  const text = input.trim();
  if (!text || text.length > 2048) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`;
  const url = URL.parse(withScheme);
  if (url === null) return undefined;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password) return undefined;
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (host !== 'linkedin.com' && !host.endsWith('.linkedin.com')) return undefined;
  const segments = url.pathname.split('/');
  // ['', 'in', '<handle>', ...further segments, which are ignored]
  if (segments[1] !== 'in' || !segments[2]) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(segments[2]);
  } catch {
    return undefined;
  }
  return canonicalHandle(decoded);
}

export interface ProfileParams {
  readonly linkedin_url?: string | undefined;
  readonly username?: string | undefined;
}

/**
 * Exactly one profile must be named: neither → `missing_profile`; both naming different handles →
 * `conflicting_profile`; each one alone is validated with its own error code.
 */
export function handleFromProfileParams(params: ProfileParams): string {
  const hasUrl = params.linkedin_url !== undefined && params.linkedin_url !== '';
  const hasUsername = params.username !== undefined && params.username !== '';
  if (!hasUrl && !hasUsername) throw new DomainError('missing_profile');
  const fromUrl = hasUrl ? parseLinkedinUrl(params.linkedin_url as string) : undefined;
  const fromUsername = hasUsername ? parseUsername(params.username as string) : undefined;
  if (fromUrl !== undefined && fromUsername !== undefined && fromUrl !== fromUsername) {
    throw new DomainError('conflicting_profile');
  }
  return (fromUrl ?? fromUsername) as string;
}
