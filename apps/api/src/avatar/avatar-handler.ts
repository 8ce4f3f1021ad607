import type { H3Event } from 'h3';
import { isKeyActive, type KeyForRequest } from '@avtrz/db/queries/key-lookup.queries';
import { parseApiKey } from '@avtrz/shared/api-key';
import { isSourceHostAllowed, requestSourceHost } from '@avtrz/shared/domains';
import type { ErrorCode } from '@avtrz/shared/errors';
import { ifNoneMatchMatches } from '../http/if-none-match.ts';
import { type MaybePromise, thenMaybe } from '../http/maybe-promise.ts';
import { type KeyCache, keyCacheId } from '../keys/key-cache.ts';
import type { Metering, ProfileAdmission, RateLimitDecision } from '../metering/metering.ts';
import type { ProfileAnswer } from '../profiles/profile-answer.ts';
import type { ProfileCache } from '../profiles/profile-cache.ts';
import { avatarRequestHeaders } from './avatar-definition.ts';
import { type AvatarRequest, readAvatarRequest } from './avatar-request.ts';
import { errorAnswer, fallbackImage, photoNotModified, photoRedirect } from './avatar-responses.ts';
import { errorSvgFor, type FallbackBodies } from './fallback-bodies.ts';

export interface AvatarHandlerDeps {
  readonly keys: KeyCache;
  readonly profiles: ProfileCache;
  readonly metering: Metering;
  readonly fallbacks: FallbackBodies;
}

const BEARER_MESSAGE =
  'A Bearer token is not an API key here: send your key in the x-api-key header or the key query parameter.';

/** One request on its way through the steps below. */
interface Exchange {
  readonly head: boolean;
  readonly headers: Headers;
  readonly request: AvatarRequest;
  readonly nowMs: number;
}

/** A request whose key is known and allowed, with its rate-limit decision. */
interface KeyedExchange extends Exchange {
  readonly key: KeyForRequest;
  readonly handle: string;
  readonly rate: RateLimitDecision;
}

/**
 * GET/HEAD /v1/avatar (CONTRACT §1–§2). The key, then its budget and domains, then the parameters,
 * then the quota, then the answer.
 *
 * Keys, quota decisions and profiles this process has seen are answered from memory, and then the
 * whole answer is synchronous: each step below returns a promise only when it has to wait (a lookup),
 * since every `await` on the hot path costs measurable CPU per request.
 */
export function createAvatarHandler(deps: AvatarHandlerDeps): (event: H3Event) => MaybePromise<Response> {
  const { keys, profiles, metering, fallbacks } = deps;

  function fail(exchange: Exchange, code: ErrorCode, rate?: RateLimitDecision, message?: string): Response {
    const { request } = exchange;
    return errorAnswer(code, {
      head: exchange.head,
      rate,
      message,
      svg: errorSvgFor(fallbacks, exchange.headers, request.handle, request.size),
    });
  }

  /** A refusal of an identified key: it counts as the key's use (rejected, not billed). */
  function reject(exchange: Exchange, key: KeyForRequest, code: ErrorCode, rate: RateLimitDecision): Response {
    metering.record(key, 'rejected', exchange.nowMs);
    return fail(exchange, code, rate);
  }

  function withKey(exchange: Exchange, kind: KeyForRequest['type'], key: KeyForRequest | null): MaybePromise<Response> {
    if (key === null || key.type !== kind || !isKeyActive(key, exchange.nowMs)) return fail(exchange, 'invalid_key');
    const rate = metering.takeRateLimit(key, exchange.nowMs);
    const { headers, request } = exchange;
    // Read once, for the allow-list and for the key's traffic (every request of the key, refused or not).
    const host = requestSourceHost(
      headers.get(avatarRequestHeaders.origin.name),
      headers.get(avatarRequestHeaders.referer.name),
    );
    const blocked = rate.allowed && !isSourceHostAllowed(key.type, key.allowedDomains, host);
    metering.recordSource(key, host, blocked, exchange.nowMs);
    if (!rate.allowed) return reject(exchange, key, 'rate_limited', rate);
    if (blocked) return reject(exchange, key, 'domain_blocked', rate);
    if (request.invalid !== undefined || request.handle === undefined)
      return reject(exchange, key, request.invalid ?? 'missing_profile', rate);

    const keyed: KeyedExchange = {
      head: exchange.head,
      headers,
      request,
      nowMs: exchange.nowMs,
      key,
      handle: request.handle,
      rate,
    };
    // Profiles the workspace already requested this month are admitted from memory.
    const admission =
      metering.admitProfileSync(key, keyed.handle, exchange.nowMs) ??
      metering.admitProfile(key, keyed.handle, exchange.nowMs);
    return thenMaybe(admission, (decided) => withAdmission(keyed, decided));
  }

  function withAdmission(exchange: KeyedExchange, admission: ProfileAdmission): MaybePromise<Response> {
    if (admission.kind === 'quota_exceeded') return reject(exchange, exchange.key, 'quota_exceeded', exchange.rate);
    const profile = profiles.peek(exchange.handle) ?? profiles.find(exchange.handle);
    return thenMaybe(profile, (found) => withProfile(exchange, found));
  }

  function withProfile(exchange: KeyedExchange, profile: ProfileAnswer): Response {
    const { key, rate, nowMs } = exchange;
    const photo = profile.photos?.get(exchange.request.size);
    if (photo) {
      if (ifNoneMatchMatches(exchange.headers.get(avatarRequestHeaders.ifNoneMatch.name), photo.etag)) {
        metering.record(key, 'not_modified', nowMs);
        return photoNotModified(photo, rate);
      }
      metering.record(key, 'billable_redirect', nowMs);
      return photoRedirect(photo, rate);
    }
    metering.record(key, 'billable_fallback', nowMs);
    return fallbackImage(fallbacks.get(exchange.handle, exchange.request.size), rate, exchange.head);
  }

  return function avatar(event) {
    const headers = event.req.headers;
    const exchange: Exchange = {
      head: event.req.method === 'HEAD',
      headers,
      request: readAvatarRequest(event.url.searchParams, headers),
      nowMs: Date.now(),
    };
    const sent = exchange.request.key;
    if (sent === undefined)
      return fail(exchange, 'missing_key', undefined, exchange.request.sentBearer ? BEARER_MESSAGE : undefined);
    // Shape and checksum first: a mistyped key costs no lookup.
    const parsed = parseApiKey(sent);
    if (!parsed) return fail(exchange, 'invalid_key');
    const cacheId = keyCacheId(parsed.key);
    const key = keys.peek(cacheId);
    return thenMaybe(key === undefined ? keys.find(cacheId) : key, (found) => withKey(exchange, parsed.kind, found));
  };
}
