// The package's entry point: the client, the URL helpers and the typed errors.
export { avatarUrl, type AvatarUrlOptions } from './avatar-url.ts';
export { canonicalSigningString } from './canonical.ts';
export {
  type AvatarLookup,
  type AvtrzClient,
  type AvtrzClientOptions,
  type BatchResult,
  createAvtrzClient,
} from './client.ts';
export {
  AVTRZ_ERROR_CODES,
  AvtrzAuthError,
  AvtrzError,
  type AvtrzErrorCode,
  type AvtrzErrorType,
  AvtrzInvalidRequestError,
  AvtrzQuotaError,
  AvtrzRateLimitError,
  AvtrzServiceError,
} from './errors.ts';
export type { AvatarSize, ProfileRef } from './profile.ts';
export { type SignOptions, signAvatarUrl } from './sign.ts';
