import { SIGNATURE_PARAMETER } from '@avtrz/client/canonical';
import { type AvatarSize, DEFAULT_AVATAR_SIZE, parseAvatarSize } from '@avtrz/shared/avatar-sizes';
import { isDomainError } from '@avtrz/shared/errors';
import { handleFromProfileParams } from '@avtrz/shared/linkedin-handle';
import { ResettingMap } from '../cache/resetting-map.ts';
import type { HeaderReader, RequestTarget } from '../http/incoming-request.ts';
import { type AvatarErrorCode, avatarQuery, avatarRequestHeaders } from './avatar-definition.ts';

/** A /v1/avatar request read at the edge: every parameter checked, nothing looked up yet. */
export interface AvatarRequest {
  /** The key as sent (header first), not yet checked. */
  readonly key: string | undefined;
  /** An `Authorization: Bearer` was sent instead of a key: worth saying so in the error. */
  readonly sentBearer: boolean;
  /** The canonical handle, when exactly one valid profile was named. */
  readonly handle: string | undefined;
  /** The requested size, or the default when none (or an invalid one) was given. */
  readonly size: AvatarSize;
  /** `format=json`: the decision as JSON instead of the image answer (CONTRACT §8). */
  readonly json: boolean;
  /** The first problem with the parameters, if any. */
  readonly invalid: AvatarErrorCode | undefined;
  /** The query names a signature (`sig`, CONTRACT §8): checked instead of the domains. */
  readonly signed: boolean;
}

/** What the query string alone says. */
type AvatarQuery = Omit<AvatarRequest, 'key' | 'sentBearer'> & { readonly queryKey: string | undefined };

export type AvatarRequestReader = (url: RequestTarget, headers: HeaderReader) => AvatarRequest;

/** Distinct query strings whose reading is remembered (about 200 bytes each). */
const DEFAULT_MAX_QUERIES = 4096;

/**
 * Reads requests, remembering what each distinct query string says: pages repeat the same avatar
 * URLs, and reading one (parsing the query, canonicalising the handle) costs more than the rest of a
 * cached answer's decision. A query string holding a secret key is read afresh every time, so that
 * no raw secret key stays in memory (only its hash does, in the key cache); a publishable key is
 * public by design. The memory is bounded: it starts again empty once full.
 */
export function createAvatarRequestReader(maxQueries = DEFAULT_MAX_QUERIES): AvatarRequestReader {
  const queries = new ResettingMap<string, AvatarQuery>(maxQueries);
  return (url, headers) => {
    const search = url.search;
    let query = queries.get(search);
    if (query === undefined) {
      query = readAvatarQuery(url.searchParams);
      if (!search.includes('sk_')) queries.set(search, query);
    }
    const key = headerKey(headers) ?? query.queryKey;
    const sentBearer = key === undefined && /^\s*bearer\s/i.test(headers.get('authorization') ?? '');
    const { handle, size, json, invalid, signed } = query;
    return { key, sentBearer, handle, size, json, invalid, signed };
  };
}

/** The key as sent: the `x-api-key` header wins over the `key` parameter (CONTRACT §1). */
export function readSentKey(query: URLSearchParams, headers: HeaderReader): string | undefined {
  return headerKey(headers) ?? nonEmpty(query.get(avatarQuery.key.name));
}

function headerKey(headers: HeaderReader): string | undefined {
  return nonEmpty(headers.get(avatarRequestHeaders.apiKey.name)?.trim());
}

function readAvatarQuery(query: URLSearchParams): AvatarQuery {
  let handle: string | undefined;
  let invalid: AvatarErrorCode | undefined;
  try {
    handle = handleFromProfileParams({
      linkedin_url: query.get(avatarQuery.linkedinUrl.name) ?? undefined,
      username: query.get(avatarQuery.username.name) ?? undefined,
    });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    invalid = error.code as AvatarErrorCode;
  }
  const sizeText = query.get(avatarQuery.size.name);
  let size: AvatarSize = DEFAULT_AVATAR_SIZE;
  if (sizeText !== null) {
    const parsed = parseAvatarSize(sizeText);
    if (parsed === undefined) invalid ??= 'invalid_size';
    else size = parsed;
  }
  const format = query.get(avatarQuery.format.name);
  const json = format === 'json';
  if (format !== null && !json) invalid ??= 'invalid_format';
  const signed = query.has(SIGNATURE_PARAMETER);
  return { queryKey: nonEmpty(query.get(avatarQuery.key.name)), handle, size, json, invalid, signed };
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value ? value : undefined;
}
