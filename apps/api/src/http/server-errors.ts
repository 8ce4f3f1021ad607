/**
 * Answers for the two cases that are ours, not the client's: a dependency outage (503, CONTRACT §6)
 * and a bug (500). Same body shape as every other error; never any detail of what went wrong.
 */
export const serverErrors = {
  service_unavailable: {
    status: 503,
    type: 'api_error',
    message: 'The service cannot answer this request right now; try again in a few seconds.',
  },
  internal_error: {
    status: 500,
    type: 'api_error',
    message: 'Something went wrong on our side and has been logged; try again.',
  },
} as const;

export type ServerErrorCode = keyof typeof serverErrors;

export function isServerErrorCode(code: string): code is ServerErrorCode {
  return Object.hasOwn(serverErrors, code);
}
