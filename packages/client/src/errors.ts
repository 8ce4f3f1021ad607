/** The error codes the API answers with (CONTRACT §1–§3, §8), as `error.code`. */
export const AVTRZ_ERROR_CODES = [
  'missing_profile',
  'conflicting_profile',
  'invalid_linkedin_url',
  'invalid_username',
  'invalid_size',
  'invalid_format',
  'invalid_body',
  'missing_key',
  'invalid_key',
  'domain_blocked',
  'invalid_signature',
  'signature_expired',
  'secret_key_required',
  'quota_exceeded',
  'rate_limited',
  'not_found',
  'method_not_allowed',
  'service_unavailable',
  'internal_error',
] as const;

export type AvtrzErrorCode = (typeof AVTRZ_ERROR_CODES)[number];

export type AvtrzErrorType = 'auth' | 'billing' | 'rate_limit' | 'invalid_request' | 'api_error';

/** An error answer of the API: `status`, the stable `code` and the API's human `message`. */
export class AvtrzError extends Error {
  override name = 'AvtrzError';
  readonly status: number;
  readonly type: AvtrzErrorType;
  /** Stable and machine-readable; compare with this, not with the message. */
  readonly code: AvtrzErrorCode;
  constructor(status: number, type: AvtrzErrorType, code: AvtrzErrorCode, message: string) {
    super(message);
    this.status = status;
    this.type = type;
    this.code = code;
  }
}

/** 401/403: no key, a wrong or revoked key, a blocked domain, a bad signature, a publishable key where a secret one is needed. */
export class AvtrzAuthError extends AvtrzError {
  override name = 'AvtrzAuthError';
}

/** 402: the workspace's monthly quota is used up. */
export class AvtrzQuotaError extends AvtrzError {
  override name = 'AvtrzQuotaError';
}

/** 429: wait `retryAfterSeconds` before trying again. */
export class AvtrzRateLimitError extends AvtrzError {
  override name = 'AvtrzRateLimitError';
  readonly retryAfterSeconds: number;
  constructor(status: number, code: AvtrzErrorCode, message: string, retryAfterSeconds: number) {
    super(status, 'rate_limit', code, message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** 400/404/405: something in the request is wrong; the message says what. */
export class AvtrzInvalidRequestError extends AvtrzError {
  override name = 'AvtrzInvalidRequestError';
}

/** 5xx: the service could not answer; try again. */
export class AvtrzServiceError extends AvtrzError {
  override name = 'AvtrzServiceError';
}

interface ErrorBody {
  error?: { type?: string; code?: string; message?: string };
}

/** The typed error for an error answer (its JSON body read here). */
export async function errorFromResponse(response: Response): Promise<AvtrzError> {
  let body: ErrorBody = {};
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    // Not JSON (a proxy's page, say): the status still says what kind of failure it is.
  }
  const status = response.status;
  const code = (body.error?.code ?? (status >= 500 ? 'service_unavailable' : 'not_found')) as AvtrzErrorCode;
  const message = body.error?.message ?? `The avtrz API answered ${status}.`;
  if (status === 429) {
    const retryAfter = Number(response.headers.get('retry-after'));
    return new AvtrzRateLimitError(
      status,
      code,
      message,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 1,
    );
  }
  if (status === 401 || status === 403) return new AvtrzAuthError(status, 'auth', code, message);
  if (status === 402) return new AvtrzQuotaError(status, 'billing', code, message);
  if (status >= 500) return new AvtrzServiceError(status, 'api_error', code, message);
  return new AvtrzInvalidRequestError(status, 'invalid_request', code, message);
}
