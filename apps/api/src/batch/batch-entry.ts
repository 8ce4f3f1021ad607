import { errorCatalog, type ErrorCode, isDomainError } from '@avtrz/shared/errors';
import { handleFromProfileParams } from '@avtrz/shared/linkedin-handle';
import type { AvatarDecision, NamedProfile } from '../avatar/avatar-decision.ts';
import type { BatchEntryStatus } from './batch-definition.ts';

/** One entry of a batch answer (CONTRACT §8), in the order the profiles were given. */
export interface BatchResult {
  readonly input: string;
  readonly username: string | null;
  readonly status: BatchEntryStatus;
  readonly url: string | null;
  readonly error?: { readonly code: ErrorCode; readonly message: string };
}

/**
 * An entry names a profile as `linkedin_url` or `username` would: a handle never holds `/`, `.` or
 * `:`, so anything that does is read as a URL (and gets the URL's error when it is not one).
 */
export function namedProfileOf(entry: string): NamedProfile {
  const asUrl = /[/.:]/.test(entry);
  try {
    const handle = handleFromProfileParams(asUrl ? { linkedin_url: entry } : { username: entry });
    return { handle, invalid: undefined };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return { handle: undefined, invalid: error.code };
  }
}

export function refusedResult(input: string, handle: string | undefined, code: ErrorCode): BatchResult {
  return {
    input,
    username: code === 'quota_exceeded' ? (handle ?? null) : null,
    status: code === 'quota_exceeded' ? 'quota_exceeded' : 'invalid',
    url: null,
    error: { code, message: errorCatalog[code].message },
  };
}

export function decidedResult(input: string, decision: AvatarDecision): BatchResult {
  return {
    input,
    username: decision.handle,
    status: decision.status,
    url: decision.kind === 'photo' ? decision.photo.location : null,
  };
}
