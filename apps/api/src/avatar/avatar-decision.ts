import { isKeyActive, type KeyForRequest } from '@avtrz/db/queries/key-lookup.queries';
import { apiKeyKindOf, parseApiKey } from '@avtrz/shared/api-key';
import { isSourceHostAllowed, requestSourceHost } from '@avtrz/shared/domains';
import type { ErrorCode } from '@avtrz/shared/errors';
import { ifNoneMatchMatches } from '../http/if-none-match.ts';
import type { HeaderReader, RequestTarget } from '../http/incoming-request.ts';
import { type MaybePromise, thenMaybe } from '../http/maybe-promise.ts';
import { createKeyCacheIds, type KeyCache } from '../keys/key-cache.ts';
import type { Metering, ProfileAdmission, RateLimitDecision } from '../metering/metering.ts';
import type { PhotoVariant, ProfileAnswer } from '../profiles/profile-answer.ts';
import type { ProfileCache } from '../profiles/profile-cache.ts';
import { createSignatureVerifier } from '../signing/verify-signature.ts';
import { avatarRequestHeaders } from './avatar-definition.ts';

/**
 * The rules that decide an avatar answer (CONTRACT §1–§3, §8), once. GET /v1/avatar (image or JSON)
 * and every entry of POST /v1/avatars go through these steps; the endpoints only read their input
 * and render what was decided:
 *
 *   identify the key → take a rate-limit token → check the caller (domains, or a signature) →
 *   admit the profile (quotas) → answer from the profile → meter the answer.
 *
 * Every step answers synchronously when memory holds what it needs (the hot path) and returns a
 * promise only when it must look something up.
 */

/** What a profile looks like to users (the JSON answers' `status`). */
export type PublicProfileStatus = 'resolved' | 'no_photo' | 'pending' | 'failed';

export type KeyCheck =
  | { readonly ok: true; readonly key: KeyForRequest }
  | { readonly ok: false; readonly code: 'missing_key' | 'invalid_key' };

export type CallerCheck =
  | {
      readonly ok: true;
      /** A valid signature with `exp`: photo answers are cached no longer than this. */
      readonly maxAgeSeconds: number | undefined;
    }
  | { readonly ok: false; readonly code: ErrorCode; readonly message?: string | undefined };

/** The profile a request (or a batch entry) names, as read at the edge. */
export interface NamedProfile {
  readonly handle: string | undefined;
  /** Why no valid profile was named (a §1 parameter code). */
  readonly invalid: ErrorCode | undefined;
}

export type Admission =
  | { readonly ok: true; readonly handle: string }
  | { readonly ok: false; readonly code: ErrorCode };

export type AvatarDecision =
  /** A stored photo at the size; `notModified` when the caller already has it (not billed). */
  | {
      readonly kind: 'photo';
      readonly handle: string;
      readonly status: 'resolved';
      readonly photo: PhotoVariant;
      readonly notModified: boolean;
    }
  /** No photo to point at: the fallback (billed). */
  | { readonly kind: 'fallback'; readonly handle: string; readonly status: Exclude<PublicProfileStatus, 'resolved'> };

export interface AnswerOptions {
  /** The caller's If-None-Match (image answers only). */
  readonly ifNoneMatch?: string | null | undefined;
  /** How long an unknown profile is waited for; the configured wait when left out. */
  readonly waitMs?: number | undefined;
}

/**
 * Admitted entries not billed yet (a batch's): they count against the request quota while later
 * entries are admitted, so a batch meets the quota's boundary exactly where single requests would.
 */
export interface Reservation {
  pending: number;
}

export interface AvatarDecider {
  identify(sentKey: string | undefined, nowMs: number): MaybePromise<KeyCheck>;
  /** One request (or batch entry) from the key's budget; a refusal is metered as rejected. */
  takeRate(key: KeyForRequest, nowMs: number): RateLimitDecision;
  /**
   * Domains, or the signature when the URL carries one (`url` is the request's; `path` the route's;
   * `signed` whether its query names a signature, as read with the rest of the query).
   * Counts where the request came from for the key's traffic (refused as domain_blocked or not).
   */
  checkCaller(
    key: KeyForRequest,
    headers: HeaderReader,
    path: string,
    url: RequestTarget,
    signed: boolean,
    nowMs: number,
  ): CallerCheck;
  /** Counts where a request refused before the caller check (rate limited) came from. */
  countSource(key: KeyForRequest, headers: HeaderReader, nowMs: number): void;
  /** Meters a refusal of an identified key (not billed). */
  reject(key: KeyForRequest, nowMs: number): void;
  /** The named profile against the quotas; a refusal is metered as rejected. */
  admit(key: KeyForRequest, named: NamedProfile, nowMs: number, reservation?: Reservation): MaybePromise<Admission>;
  /** The answer for an admitted profile, metered (billable, fallback or not-modified). */
  answer(
    key: KeyForRequest,
    handle: string,
    size: number,
    nowMs: number,
    options?: AnswerOptions,
    reservation?: Reservation,
  ): MaybePromise<AvatarDecision>;
}

export interface AvatarDeciderDeps {
  readonly keys: KeyCache;
  readonly profiles: ProfileCache;
  readonly metering: Metering;
}

const KEY_MISSING: KeyCheck = Object.freeze({ ok: false, code: 'missing_key' });
const KEY_INVALID: KeyCheck = Object.freeze({ ok: false, code: 'invalid_key' });
const CALLER_OK: CallerCheck = Object.freeze({ ok: true, maxAgeSeconds: undefined });
const DOMAIN_BLOCKED: CallerCheck = Object.freeze({ ok: false, code: 'domain_blocked' });

function sourceHost(headers: HeaderReader): string | null | undefined {
  return requestSourceHost(
    headers.get(avatarRequestHeaders.origin.name),
    headers.get(avatarRequestHeaders.referer.name),
  );
}

export function createAvatarDecider(deps: AvatarDeciderDeps): AvatarDecider {
  const { keys, profiles, metering } = deps;
  const signatures = createSignatureVerifier();
  const cacheIdOf = createKeyCacheIds();

  function keyCheck(kind: KeyForRequest['type'], key: KeyForRequest | null, nowMs: number): KeyCheck {
    if (key === null || key.type !== kind || !isKeyActive(key, nowMs)) return KEY_INVALID;
    return { ok: true, key };
  }

  function withProfile(
    key: KeyForRequest,
    handle: string,
    size: number,
    nowMs: number,
    profile: ProfileAnswer,
    options: AnswerOptions | undefined,
    reservation: Reservation | undefined,
  ): AvatarDecision {
    if (reservation) reservation.pending--;
    const photo = profile.photos?.get(size);
    if (photo) {
      const notModified = ifNoneMatchMatches(options?.ifNoneMatch ?? null, photo.etag);
      metering.record(key, notModified ? 'not_modified' : 'billable_redirect', nowMs);
      return { kind: 'photo', handle, status: 'resolved', photo, notModified };
    }
    metering.record(key, 'billable_fallback', nowMs);
    return { kind: 'fallback', handle, status: publicStatusOf(profile) };
  }

  return {
    identify(sentKey, nowMs) {
      if (sentKey === undefined) return KEY_MISSING;
      const kind = apiKeyKindOf(sentKey);
      if (kind === undefined) return KEY_INVALID;
      // A key in memory needs no shape check: a string with its SHA-256 is that key, whose shape
      // and checksum held when it was made. A secret key is hashed on every request rather than kept
      // in memory (about 0.4 µs of a cached answer; see createKeyCacheIds).
      const cacheId = cacheIdOf(sentKey, kind);
      const key = keys.peek(cacheId);
      if (key !== undefined) return keyCheck(kind, key, nowMs);
      // Shape and checksum before any lookup: a mistyped key costs no database round trip.
      if (!parseApiKey(sentKey)) return KEY_INVALID;
      return keys.find(cacheId).then((found) => keyCheck(kind, found, nowMs));
    },

    takeRate(key, nowMs) {
      const rate = metering.takeRateLimit(key, nowMs);
      if (!rate.allowed) metering.record(key, 'rejected', nowMs);
      return rate;
    },

    checkCaller(key, headers, path, url, signed, nowMs) {
      // Read once, for the allow-list and for the key's traffic (every request of the key, refused or not).
      const host = sourceHost(headers);
      // A signed URL stands in for the domain check, but only when its signature holds.
      if (signed) {
        metering.recordSource(key, host, false, nowMs);
        const verified = signatures.verify(key, path, url, nowMs);
        if (!verified.ok) return verified;
        return verified.secondsLeft === undefined ? CALLER_OK : { ok: true, maxAgeSeconds: verified.secondsLeft };
      }
      const blocked = !isSourceHostAllowed(key.type, key.allowedDomains, host);
      metering.recordSource(key, host, blocked, nowMs);
      return blocked ? DOMAIN_BLOCKED : CALLER_OK;
    },

    countSource(key, headers, nowMs) {
      metering.recordSource(key, sourceHost(headers), false, nowMs);
    },

    reject(key, nowMs) {
      metering.record(key, 'rejected', nowMs);
    },

    admit(key, named, nowMs, reservation) {
      if (named.invalid !== undefined || named.handle === undefined) {
        metering.record(key, 'rejected', nowMs);
        return { ok: false, code: named.invalid ?? 'missing_profile' };
      }
      const handle = named.handle;
      const decided = (admission: ProfileAdmission): Admission => {
        if (admission.kind === 'quota_exceeded') {
          metering.record(key, 'rejected', nowMs);
          return { ok: false, code: 'quota_exceeded' };
        }
        if (reservation) reservation.pending++;
        return { ok: true, handle };
      };
      // Profiles the workspace already requested this month are admitted from memory.
      const known = metering.admitProfileSync(key, handle, nowMs);
      if (known) return decided(known);
      return metering.admitProfile(key, handle, nowMs, reservation?.pending ?? 0).then(decided);
    },

    answer(key, handle, size, nowMs, options, reservation) {
      const peeked = profiles.peek(handle);
      const profile = peeked ?? profiles.find(handle, options?.waitMs);
      return thenMaybe(profile, (found) => withProfile(key, handle, size, nowMs, found, options, reservation));
    },
  };
}

/** What users are told about a profile without a photo at the size. */
function publicStatusOf(profile: ProfileAnswer): Exclude<PublicProfileStatus, 'resolved'> {
  switch (profile.status) {
    case 'no_photo':
    case 'failed':
    case 'pending':
      return profile.status;
    case 'unknown':
      return 'pending';
    // A resolved profile lacking this one rendition: nothing to point at, as with no photo.
    case 'resolved':
      return 'no_photo';
  }
}
