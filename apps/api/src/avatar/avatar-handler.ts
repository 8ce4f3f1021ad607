import type { H3Event } from 'h3';
import { isKeyActive, type KeyForRequest } from '@avtrz/db/queries/key-lookup.queries';
import { parseApiKey } from '@avtrz/shared/api-key';
import { isRequestFromAllowedDomain } from '@avtrz/shared/domains';
import type { ErrorCode } from '@avtrz/shared/errors';
import { ifNoneMatchMatches } from '../http/if-none-match.ts';
import { isImageCaller } from '../http/image-caller.ts';
import { type KeyCache, keyCacheId } from '../keys/key-cache.ts';
import type { Metering, RateLimitDecision } from '../metering/metering.ts';
import type { ProfileCache } from '../profiles/profile-cache.ts';
import { avatarRequestHeaders } from './avatar-definition.ts';
import { readAvatarRequest } from './avatar-request.ts';
import { errorAnswer, fallbackImage, photoNotModified, photoRedirect } from './avatar-responses.ts';
import type { FallbackBodies } from './fallback-bodies.ts';

export interface AvatarHandlerDeps {
  readonly keys: KeyCache;
  readonly profiles: ProfileCache;
  readonly metering: Metering;
  readonly fallbacks: FallbackBodies;
}

const BEARER_MESSAGE =
  'A Bearer token is not an API key here: send your key in the x-api-key header or the key query parameter.';

/**
 * GET/HEAD /v1/avatar (CONTRACT §1–§2). The key, then its budget and domains, then the parameters,
 * then the quota, then the answer. Keys and profiles this process has seen are answered from memory.
 */
export function createAvatarHandler(deps: AvatarHandlerDeps): (event: H3Event) => Promise<Response> {
  const { keys, profiles, metering, fallbacks } = deps;
  return async function avatar(event) {
    const head = event.req.method === 'HEAD';
    const headers = event.req.headers;
    const request = readAvatarRequest(event.url.searchParams, headers);

    const fail = (code: ErrorCode, rate?: RateLimitDecision, message?: string): Response =>
      errorAnswer(code, {
        head,
        rate,
        message,
        svg: isImageCaller(headers.get(avatarRequestHeaders.secFetchDest.name), headers.get(avatarRequestHeaders.accept.name))
          ? fallbacks.get(request.handle, request.size)
          : undefined,
      });

    if (request.key === undefined) return fail('missing_key', undefined, request.sentBearer ? BEARER_MESSAGE : undefined);
    // Shape and checksum first: a mistyped key costs no lookup.
    const parsed = parseApiKey(request.key);
    if (!parsed) return fail('invalid_key');
    const cacheId = keyCacheId(parsed.key);
    let key: KeyForRequest | null | undefined = keys.peek(cacheId);
    if (key === undefined) key = await keys.find(cacheId);
    const now = new Date();
    if (key === null || key.type !== parsed.kind || !isKeyActive(key, now)) return fail('invalid_key');

    const identified = key;
    const rejected = (code: ErrorCode, rate: RateLimitDecision): Response => {
      metering.record(identified, 'rejected', now);
      return fail(code, rate);
    };
    const rate = metering.takeRateLimit(key, now);
    if (!rate.allowed) return rejected('rate_limited', rate);
    const allowed = isRequestFromAllowedDomain(
      { kind: key.type, allowedDomains: key.allowedDomains },
      headers.get(avatarRequestHeaders.origin.name),
      headers.get(avatarRequestHeaders.referer.name),
    );
    if (!allowed) return rejected('domain_blocked', rate);
    if (request.invalid !== undefined || request.handle === undefined) return rejected(request.invalid ?? 'missing_profile', rate);
    const handle = request.handle;

    // Profiles the workspace already requested this month are admitted from memory, without a promise.
    const admission = metering.admitProfileSync(key, handle, now) ?? (await metering.admitProfile(key, handle, now));
    if (admission.kind === 'quota_exceeded') return rejected('quota_exceeded', rate);

    const profile = profiles.peek(handle) ?? (await profiles.find(handle));
    const photo = profile.photos?.get(request.size);
    if (photo) {
      if (ifNoneMatchMatches(headers.get(avatarRequestHeaders.ifNoneMatch.name), photo.etag)) {
        metering.record(key, 'not_modified', now);
        return photoNotModified(photo, rate);
      }
      metering.record(key, 'billable_redirect', now);
      return photoRedirect(photo, rate);
    }
    metering.record(key, 'billable_fallback', now);
    return fallbackImage(fallbacks.get(handle, request.size), rate, head);
  };
}
