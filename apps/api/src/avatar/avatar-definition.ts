import { AVATAR_SIZES, DEFAULT_AVATAR_SIZE } from '@avtrz/shared/avatar-sizes';
import type { ErrorCode } from '@avtrz/shared/errors';

/**
 * What GET /v1/avatar takes and answers, once: the handler reads its parameter names, cache policies
 * and error codes from here, and the OpenAPI document is built from the same objects.
 */

export const AVATAR_PATH = '/v1/avatar';

export interface ParameterDefinition {
  readonly name: string;
  readonly in: 'query' | 'header';
  readonly description: string;
  readonly schema: Readonly<Record<string, unknown>>;
  readonly deprecated?: boolean;
  readonly example?: string;
}

export const avatarQuery = {
  key: {
    name: 'key',
    in: 'query',
    description:
      'API key (`pk_live_…` or `sk_live_…`). The `x-api-key` header wins when both are sent. Publishable keys are meant for pages.',
    schema: { type: 'string', pattern: '^(pk|sk)_live_[0-9A-Za-z]{36}$' },
  },
  linkedinUrl: {
    name: 'linkedin_url',
    in: 'query',
    description:
      'A LinkedIn profile URL, with or without scheme: `linkedin.com/in/alex-rivera`, `https://www.linkedin.com/in/alex-rivera/`. Any `*.linkedin.com` host; the path must be `/in/<handle>`.',
    schema: { type: 'string', maxLength: 2048 },
    example: 'linkedin.com/in/alex-rivera',
  },
  username: {
    name: 'username',
    in: 'query',
    description:
      'The LinkedIn handle itself: 3–100 letters (any script), digits, `-` or `_`. Compared case-insensitively.',
    schema: { type: 'string', minLength: 3, maxLength: 100 },
    example: 'alex-rivera',
  },
  size: {
    name: 'size',
    in: 'query',
    description: 'Width and height of the square image, in pixels.',
    schema: { type: 'integer', enum: [...AVATAR_SIZES], default: DEFAULT_AVATAR_SIZE },
  },
  format: {
    name: 'format',
    in: 'query',
    description:
      '`json`: the same decision, billed the same, answered `200` as JSON (`username`, `status`, `size`, `url`, `etag`) instead of a redirect or an image. Errors keep their statuses and JSON bodies.',
    schema: { type: 'string', enum: ['json'] },
  },
  sig: {
    name: 'sig',
    in: 'query',
    description:
      "A signed URL's signature: the unpadded base64url HMAC-SHA256, under one of the publishable key's active signing secrets, of the path, `?`, and every other query parameter sorted by name as `name=value` joined with `&` (names and values encoded as `encodeURIComponent` does). A valid signature admits the request without the domain check.",
    schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' },
  },
  exp: {
    name: 'exp',
    in: 'query',
    description:
      'Signed URLs: when the signature stops being valid, in Unix seconds (part of what is signed). Answers are cached no longer than the time left.',
    schema: { type: 'integer', minimum: 0 },
  },
  refresh: {
    name: 'refresh',
    in: 'query',
    description: 'Deprecated and ignored: photos refresh by themselves. Accepted so that old links keep working.',
    schema: { type: 'string' },
    deprecated: true,
  },
} as const satisfies Record<string, ParameterDefinition>;

export const avatarRequestHeaders = {
  apiKey: {
    name: 'x-api-key',
    in: 'header',
    description: 'API key; wins over the `key` parameter. `Authorization: Bearer` is not read as a key.',
    schema: { type: 'string' },
  },
  ifNoneMatch: {
    name: 'if-none-match',
    in: 'header',
    description: 'ETag of the photo the client already has: answered `304` when it is still the current one.',
    schema: { type: 'string' },
  },
  origin: {
    name: 'origin',
    in: 'header',
    description: "Checked against the key's allowed domains (sent by browsers).",
    schema: { type: 'string' },
  },
  referer: {
    name: 'referer',
    in: 'header',
    description: "Checked against the key's allowed domains when there is no `Origin` (sent by browsers).",
    schema: { type: 'string' },
  },
  secFetchDest: {
    name: 'sec-fetch-dest',
    in: 'header',
    description: '`image` (sent by `<img>`): errors are answered with the SVG fallback and `X-Avtrz-Error`.',
    schema: { type: 'string' },
  },
  accept: {
    name: 'accept',
    in: 'header',
    description: 'Asking for an image and not for JSON has errors answered with the SVG fallback, as for `<img>`.',
    schema: { type: 'string' },
  },
} as const satisfies Record<string, ParameterDefinition>;

export const PHOTO_MAX_AGE_SECONDS = 86_400;

export const CACHE_CONTROL = {
  photo: `public, max-age=${PHOTO_MAX_AGE_SECONDS}`,
  noStore: 'no-store',
} as const;

/** The error codes /v1/avatar answers, by status (texts and types come from the shared catalog). */
export const avatarErrorCodes = {
  400: [
    'missing_profile',
    'conflicting_profile',
    'invalid_linkedin_url',
    'invalid_username',
    'invalid_size',
    'invalid_format',
  ],
  401: ['missing_key', 'invalid_key', 'domain_blocked', 'invalid_signature', 'signature_expired'],
  402: ['quota_exceeded'],
  429: ['rate_limited'],
} as const satisfies Record<number, readonly ErrorCode[]>;

export type AvatarErrorCode = (typeof avatarErrorCodes)[keyof typeof avatarErrorCodes][number];

export interface HeaderDefinition {
  readonly description: string;
  readonly schema: Readonly<Record<string, unknown>>;
}

export const responseHeaders = {
  location: {
    description: 'The photo on the CDN at the requested size: content-addressed and immutable.',
    schema: { type: 'string', format: 'uri' },
  },
  etag: {
    description: 'Strong entity tag of the photo (the CDN origin sends the same one).',
    schema: { type: 'string' },
  },
  'cache-control': { description: 'How long the answer may be kept.', schema: { type: 'string' } },
  'content-type': { description: 'Media type of the body.', schema: { type: 'string' } },
  'retry-after': {
    description: 'Whole seconds (at least 1) to wait before trying again.',
    schema: { type: 'integer', minimum: 1 },
  },
  'x-avtrz-error': {
    description: 'The error code, on errors answered with the SVG fallback (image callers).',
    schema: { type: 'string' },
  },
  'ratelimit-limit': {
    description: "The key's requests per minute (on every answer to a request with a valid key).",
    schema: { type: 'integer' },
  },
  'ratelimit-remaining': { description: 'Requests left in the current window.', schema: { type: 'integer' } },
  'ratelimit-reset': { description: 'Seconds until the window is fully available again.', schema: { type: 'integer' } },
  allow: { description: 'The methods this path answers.', schema: { type: 'string' } },
} as const satisfies Record<string, HeaderDefinition>;

export type ResponseHeaderName = keyof typeof responseHeaders;

/** The `format=json` answer (CONTRACT §8). */
export const avatarJsonSchema = {
  type: 'object',
  required: ['username', 'status', 'size', 'url', 'etag'],
  properties: {
    username: { type: 'string', description: 'The canonical handle.' },
    status: { type: 'string', enum: ['resolved', 'no_photo', 'pending', 'failed'] },
    size: { type: 'integer', enum: [...AVATAR_SIZES] },
    url: {
      type: ['string', 'null'],
      format: 'uri',
      description: 'The photo on the CDN at the size (the 302 `Location`).',
    },
    etag: { type: ['string', 'null'], description: "The photo's ETag." },
  },
} as const;

const RATE_LIMIT_HEADERS = ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'] as const;

export interface ResponseDefinition {
  readonly description: string;
  /** Headers sent every time. */
  readonly headers: readonly ResponseHeaderName[];
  /** Headers sent in some cases only (a keyed request, an image caller). */
  readonly optionalHeaders: readonly ResponseHeaderName[];
  /** `svg-or-json`: the SVG fallback, or with `format=json` the decision as JSON. */
  readonly body: 'none' | 'svg' | 'svg-or-json' | 'error';
  readonly billed: boolean;
}

const errorResponse = (description: string, extra: readonly ResponseHeaderName[] = []): ResponseDefinition => ({
  description,
  headers: ['cache-control', 'content-type', ...extra],
  optionalHeaders: ['x-avtrz-error', ...RATE_LIMIT_HEADERS],
  body: 'error',
  billed: false,
});

export const avatarResponses = {
  302: {
    description:
      'The profile has a stored photo: `Location` points at it on the CDN. A signed URL with `exp` is cached no longer than it stays valid.',
    headers: ['location', 'etag', 'cache-control'],
    optionalHeaders: [...RATE_LIMIT_HEADERS],
    body: 'none',
    billed: true,
  },
  200: {
    description:
      'No photo (unknown profile, profile without photo, resolution still running after the wait, upstream failure): the deterministic SVG fallback with initials. With `format=json`, every decision (a photo too) is a `200` with the decision as JSON.',
    headers: ['content-type', 'cache-control'],
    optionalHeaders: [...RATE_LIMIT_HEADERS],
    body: 'svg-or-json',
    billed: true,
  },
  304: {
    description: '`If-None-Match` matches the ETag of the photo the `302` would point at.',
    headers: ['etag', 'cache-control'],
    optionalHeaders: [...RATE_LIMIT_HEADERS],
    body: 'none',
    billed: false,
  },
  400: errorResponse('Bad parameters.'),
  401: errorResponse(
    "No key, an unknown, malformed, disabled or revoked key, or a domain not on the key's allowed list.",
  ),
  402: errorResponse("The workspace's monthly quota is used up (profiles already requested this month keep working)."),
  405: { ...errorResponse('Only GET and HEAD are answered.', ['allow']), optionalHeaders: [] },
  429: errorResponse('Too many requests for this key.', ['retry-after']),
} as const satisfies Record<number, ResponseDefinition>;
