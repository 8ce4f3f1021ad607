import type { H3Event } from 'h3';
import { type AccessLog, requestIdOf, sequentialRequestIds } from '@avtrz/shared/http/request-logging';
import type { RouteAnswers } from '@avtrz/shared/metrics/answer-counts';
import { type OutcomeNames, outcomeOf } from './answer-outcome.ts';
import type { MaybePromise } from './maybe-promise.ts';

type Handler = (event: H3Event) => MaybePromise<Response>;

/** How one route's answers are seen: counted for the metrics, and logged when the access log wants them. */
export interface RouteObservation {
  readonly answers: RouteAnswers;
  readonly outcomes: OutcomeNames;
  readonly accessLog: AccessLog | undefined;
}

/**
 * Wraps one route without middleware. An answer given synchronously stays synchronous (an `await` per
 * request costs measurable CPU); the hot path adds two clock reads (one at the start, one at the answer), a few plain-integer increments
 * and, when ACCESS_LOG wants it, one formatted line handed to the batched log writer.
 */
export function withAccessLog(observation: RouteObservation, handler: Handler): Handler {
  const { answers, outcomes, accessLog } = observation;
  const newRequestId = sequentialRequestIds();
  const finish = (event: H3Event, response: Response, startedAt: number): Response => {
    const status = response.status;
    // Read once, for the latency metric and the log line.
    const elapsedMs = performance.now() - startedAt;
    answers.record(status, outcomeOf(response, outcomes), elapsedMs / 1000);
    if (accessLog?.wants(status))
      accessLog.write(event, requestIdOf(event.req.headers, newRequestId), status, elapsedMs);
    return response;
  };
  return (event) => {
    const startedAt = performance.now();
    const answer = handler(event);
    return answer instanceof Promise
      ? answer.then((response) => finish(event, response, startedAt))
      : finish(event, answer, startedAt);
  };
}
