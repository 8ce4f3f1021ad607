/**
 * The contract's error codes, once. The HTTP and GraphQL layers map a code to its status and body
 * through this table; domain code throws `DomainError` with a code and never thinks about HTTP.
 */
export type ErrorType = 'auth' | 'billing' | 'rate_limit' | 'invalid_request';

interface ErrorSpec {
  readonly status: number;
  readonly type: ErrorType;
  /** One human sentence saying what to do. */
  readonly message: string;
}

export const errorCatalog = {
  missing_profile: {
    status: 400,
    type: 'invalid_request',
    message: 'Name a profile with the linkedin_url or the username parameter.',
  },
  conflicting_profile: {
    status: 400,
    type: 'invalid_request',
    message: 'linkedin_url and username name different profiles; send only one of them.',
  },
  invalid_linkedin_url: {
    status: 400,
    type: 'invalid_request',
    message: 'linkedin_url must be a LinkedIn profile URL such as linkedin.com/in/alex-rivera.',
  },
  invalid_username: {
    status: 400,
    type: 'invalid_request',
    message: 'username must be a LinkedIn handle of 3 to 100 letters, digits, "-" or "_".',
  },
  invalid_size: {
    status: 400,
    type: 'invalid_request',
    message: 'size must be one of 32, 64, 128, 256 or 512.',
  },
  missing_key: {
    status: 401,
    type: 'auth',
    message: 'Send your API key in the x-api-key header or the key query parameter.',
  },
  invalid_key: {
    status: 401,
    type: 'auth',
    message: 'This API key is not recognised, is disabled or was revoked; check the key in your console.',
  },
  domain_blocked: {
    status: 401,
    type: 'auth',
    message: "This page's domain is not on the key's allowed domains; add it in the key's settings.",
  },
  invalid_format: {
    status: 400,
    type: 'invalid_request',
    message: 'format must be json, or left out for the image answer.',
  },
  invalid_body: {
    status: 400,
    type: 'invalid_request',
    message: 'The request body is not valid; the message names the problem.',
  },
  invalid_signature: {
    status: 401,
    type: 'auth',
    message:
      "The sig parameter does not match this URL under any of the key's active signing secrets; sign the URL again.",
  },
  signature_expired: {
    status: 401,
    type: 'auth',
    message: 'This signed URL has expired (its exp is in the past); sign a new one.',
  },
  secret_key_required: {
    status: 403,
    type: 'auth',
    message:
      'This endpoint needs a secret key (sk_live_…) in the x-api-key header; publishable keys call GET /v1/avatar only.',
  },
  publishable_key_not_allowed: {
    status: 403,
    type: 'auth',
    message: 'Publishable keys can only call /v1/avatar; use a secret key for the admin API.',
  },
  quota_exceeded: {
    status: 402,
    type: 'billing',
    message:
      'Your monthly quota is used up; profiles already requested this month keep working. Upgrade your plan for new ones.',
  },
  rate_limited: {
    status: 429,
    type: 'rate_limit',
    message: 'Too many requests for this key; wait for the Retry-After seconds and try again.',
  },
  not_found: {
    status: 404,
    type: 'invalid_request',
    message: 'There is nothing at this path; the avatar endpoint is GET /v1/avatar.',
  },
  method_not_allowed: {
    status: 405,
    type: 'invalid_request',
    message: 'This path does not answer this method; the Allow header lists the ones it does.',
  },
  // Admin API (GraphQL, the console's tRPC router and the CLI share these).
  invalid_operator_token: {
    status: 401,
    type: 'auth',
    message:
      'This operator token is not right; use the OPERATOR_TOKEN of this installation (API keys go in the x-api-key header).',
  },
  operator_unavailable: {
    status: 403,
    type: 'auth',
    message:
      'Operator operations are unavailable: this admin API was started without OPERATOR_TOKEN; set it and restart.',
  },
  operator_required: {
    status: 403,
    type: 'auth',
    message: "Only the installation's operator may do this; send Authorization: Bearer <OPERATOR_TOKEN>.",
  },
  workspace_required: {
    status: 400,
    type: 'invalid_request',
    message: 'Operator calls to workspace operations must name the workspace id in the x-avtrz-workspace header.',
  },
  workspace_not_found: {
    status: 404,
    type: 'invalid_request',
    message: 'There is no workspace with this id.',
  },
  api_key_not_found: {
    status: 404,
    type: 'invalid_request',
    message: 'There is no API key with this id in your workspace.',
  },
  signing_secret_not_found: {
    status: 404,
    type: 'invalid_request',
    message: 'There is no signing secret with this id in your workspace.',
  },
  invalid_input: {
    status: 400,
    type: 'invalid_request',
    message: 'Some input is not valid; the message names the field.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errorCatalog;

export class DomainError extends Error {
  override name = 'DomainError';
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message?: string) {
    super(message ?? errorCatalog[code].message);
    this.code = code;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** The contract's JSON error body. */
export function errorBody(code: ErrorCode, message: string = errorCatalog[code].message) {
  return { error: { type: errorCatalog[code].type, code, message } };
}
