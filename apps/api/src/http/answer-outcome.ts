/**
 * What an answer was, for the metrics: the error code of an error answer, else the route's name for
 * its status (a 302 of /v1/avatar is a `redirect`). Codes are kept beside the responses, not in them.
 */
const errorCodes = new WeakMap<Response, string>();

export function markErrorCode<R extends Response>(response: R, code: string): R {
  errorCodes.set(response, code);
  return response;
}

/** Outcome names by status, per route. */
export type OutcomeNames = Readonly<Record<number, string>>;

export function outcomeOf(response: Response, names: OutcomeNames): string {
  const status = response.status;
  // Only errors are looked up: the hot path's 302 never touches the map.
  if (status >= 400) return errorCodes.get(response) ?? String(status);
  return names[status] ?? String(status);
}
