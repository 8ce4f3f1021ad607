import { type AccessLog, requestIdOf, sequentialRequestIds } from '@avtrz/shared/http/request-logging';
import type { RouteAnswers } from '@avtrz/shared/metrics/answer-counts';
import { type OutcomeNames, outcomeOf } from './answer-outcome.ts';
import type { IncomingRequest } from './incoming-request.ts';
import type { MaybePromise } from './maybe-promise.ts';

type Handler<R extends IncomingRequest, A extends Response> = (request: R) => MaybePromise<A>;

/** How one route's answers are seen: counted for the metrics, and logged when the access log wants them. */
export interface RouteObservation {
  readonly answers: RouteAnswers;
  readonly outcomes: OutcomeNames;
  readonly accessLog: AccessLog | undefined;
}

/**
 * Wraps one route without middleware (an h3 event or the Node view of /v1/avatar). An answer given
 * synchronously stays synchronous (an `await` per request costs measurable CPU); the hot path adds two
 * clock reads (one at the start, one at the answer), a few plain-integer increments and, when
 * ACCESS_LOG wants it, one formatted line handed to the batched log writer.
 */
export function withAccessLog<R extends IncomingRequest, A extends Response>(
  observation: RouteObservation,
  handler: Handler<R, A>,
): Handler<R, A> {
  const { answers, outcomes, accessLog } = observation;
  const newRequestId = sequentialRequestIds();
  const finish = (request: R, response: A, startedAt: number): A => {
    const status = response.status;
    // Read once, for the latency metric and the log line.
    const elapsedMs = performance.now() - startedAt;
    answers.record(status, outcomeOf(response, outcomes), elapsedMs / 1000);
    if (accessLog?.wants(status))
      accessLog.write(request, requestIdOf(request.req.headers, newRequestId), status, elapsedMs);
    return response;
  };
  return (request) => {
    const startedAt = performance.now();
    const answer = handler(request);
    return answer instanceof Promise
      ? answer.then((response) => finish(request, response, startedAt))
      : finish(request, answer, startedAt);
  };
}
