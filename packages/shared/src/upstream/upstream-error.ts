/**
 * Why an upstream fetch was given up. Every reason is an answer about the upstream, never a bug of
 * ours: the caller decides whether it means "try again later" or "there is no usable photo".
 */
export type UpstreamFailure =
  | 'address_refused'
  | 'scheme_refused'
  | 'too_many_redirects'
  | 'too_large'
  | 'timeout'
  | 'network';

export class UpstreamError extends Error {
  override name = 'UpstreamError';
  readonly reason: UpstreamFailure;
  constructor(reason: UpstreamFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

export function isUpstreamError(error: unknown): error is UpstreamError {
  return error instanceof UpstreamError;
}

/** Finds our error inside the wrappers a fetch puts around connection failures (`TypeError: fetch failed`). */
export function findUpstreamError(error: unknown): UpstreamError | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof UpstreamError) return e;
  }
  return undefined;
}
