import { type AvatarSize, DEFAULT_AVATAR_SIZE, parseAvatarSize } from '@avtrz/shared/avatar-sizes';
import { isDomainError } from '@avtrz/shared/errors';
import { handleFromProfileParams } from '@avtrz/shared/linkedin-handle';
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
}

/** The key as sent: the `x-api-key` header wins over the `key` parameter (CONTRACT §1). */
export function readSentKey(query: URLSearchParams, headers: Headers): string | undefined {
  return nonEmpty(headers.get(avatarRequestHeaders.apiKey.name)?.trim()) ?? nonEmpty(query.get(avatarQuery.key.name));
}

export function readAvatarRequest(query: URLSearchParams, headers: Headers): AvatarRequest {
  const key = readSentKey(query, headers);
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
  const sentBearer = key === undefined && /^\s*bearer\s/i.test(headers.get('authorization') ?? '');
  return { key, sentBearer, handle, size, json, invalid };
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value ? value : undefined;
}
