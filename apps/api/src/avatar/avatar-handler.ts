import type { ErrorCode } from '@avtrz/shared/errors';
import type { HeaderReader, IncomingRequest, RequestTarget } from '../http/incoming-request.ts';
import { type MaybePromise, thenMaybe } from '../http/maybe-promise.ts';
import type { RateLimitDecision } from '../metering/metering.ts';
import { AVATAR_PATH, avatarRequestHeaders } from './avatar-definition.ts';
import type { AvatarDecider, AvatarDecision, KeyCheck } from './avatar-decision.ts';
import type { AvatarRequest, AvatarRequestReader } from './avatar-request.ts';
import {
  type ApiAnswer,
  errorAnswer,
  fallbackImage,
  jsonDecision,
  photoNotModified,
  photoRedirect,
} from './avatar-responses.ts';
import { errorSvgFor, type FallbackBodies } from './fallback-bodies.ts';

export interface AvatarHandlerDeps {
  readonly decider: AvatarDecider;
  readonly fallbacks: FallbackBodies;
}

const BEARER_MESSAGE =
  'A Bearer token is not an API key here: send your key in the x-api-key header or the key query parameter.';

/** One request on its way through the steps below. */
interface Exchange {
  readonly head: boolean;
  readonly headers: HeaderReader;
  readonly url: RequestTarget;
  readonly request: AvatarRequest;
  readonly nowMs: number;
}

/**
 * GET/HEAD /v1/avatar (CONTRACT §1–§2, §8): the steps of the avatar decision (avatar-decision.ts)
 * in order, then the answer rendered as an image answer or, with `format=json`, as JSON.
 *
 * Keys, quota decisions and profiles this process has seen are answered from memory, and then the
 * whole answer is synchronous: each step returns a promise only when it has to wait (a lookup),
 * since every `await` on the hot path costs measurable CPU per request.
 */
export function createAvatarHandler(
  deps: AvatarHandlerDeps,
  readRequest: AvatarRequestReader,
): (request: IncomingRequest) => MaybePromise<ApiAnswer> {
  const { decider, fallbacks } = deps;

  function fail(exchange: Exchange, code: ErrorCode, rate?: RateLimitDecision, message?: string): ApiAnswer {
    const { request } = exchange;
    return errorAnswer(code, {
      head: exchange.head,
      rate,
      message,
      // A caller that asked for JSON gets JSON errors, whatever its Accept says.
      svg: request.json ? undefined : errorSvgFor(fallbacks, exchange.headers, request.handle, request.size),
    });
  }

  function withKey(exchange: Exchange, check: KeyCheck): MaybePromise<ApiAnswer> {
    if (!check.ok)
      return fail(exchange, check.code, undefined, exchange.request.sentBearer ? BEARER_MESSAGE : undefined);
    const { key } = check;
    const { nowMs, request } = exchange;
    const rate = decider.takeRate(key, nowMs);
    if (!rate.allowed) {
      decider.countSource(key, exchange.headers, nowMs);
      return fail(exchange, 'rate_limited', rate);
    }
    const caller = decider.checkCaller(key, exchange.headers, AVATAR_PATH, exchange.url, request.signed, nowMs);
    if (!caller.ok) {
      decider.reject(key, nowMs);
      return fail(exchange, caller.code, rate, caller.message);
    }
    return thenMaybe(decider.admit(key, request, nowMs), (admission) => {
      if (!admission.ok) return fail(exchange, admission.code, rate);
      const ifNoneMatch = request.json ? undefined : exchange.headers.get(avatarRequestHeaders.ifNoneMatch.name);
      const decision = decider.answer(key, admission.handle, request.size, nowMs, { ifNoneMatch });
      return thenMaybe(decision, (decided) => render(exchange, decided, rate, caller.maxAgeSeconds));
    });
  }

  function render(
    exchange: Exchange,
    decision: AvatarDecision,
    rate: RateLimitDecision,
    maxAgeSeconds: number | undefined,
  ): ApiAnswer {
    const { request, head } = exchange;
    if (request.json) return jsonDecision(decision, request.size, rate, head);
    if (decision.kind === 'fallback') return fallbackImage(fallbacks.get(decision.handle, request.size), rate, head);
    return decision.notModified
      ? photoNotModified(decision.photo, rate, maxAgeSeconds)
      : photoRedirect(decision.photo, rate, maxAgeSeconds);
  }

  return function avatar(incoming) {
    const headers = incoming.req.headers;
    const url = incoming.url;
    const exchange: Exchange = {
      head: incoming.req.method === 'HEAD',
      headers,
      url,
      request: readRequest(url, headers),
      nowMs: Date.now(),
    };
    return thenMaybe(decider.identify(exchange.request.key, exchange.nowMs), (check) => withKey(exchange, check));
  };
}
