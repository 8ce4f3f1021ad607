import { SIGNATURE_PARAMETER } from '@avtrz/client/canonical';
import type { H3Event } from 'h3';
import type { KeyForRequest } from '@avtrz/db/queries/key-lookup.queries';
import type { AvatarDecider, Reservation } from '../avatar/avatar-decision.ts';
import { readSentKey } from '../avatar/avatar-request.ts';
import { errorAnswer, jsonAnswer } from '../avatar/avatar-responses.ts';
import type { RateLimitDecision } from '../metering/metering.ts';
import { readBatchBody } from './batch-body.ts';
import { BATCH_PATH } from './batch-definition.ts';
import { type BatchResult, decidedResult, namedProfileOf, refusedResult } from './batch-entry.ts';

export interface BatchHandlerDeps {
  readonly decider: AvatarDecider;
}

/**
 * POST /v1/avatars (CONTRACT §8): the avatar decision for up to 100 profiles, each entry metered
 * exactly as a single GET would be. The key is identified once; then every entry takes its
 * rate-limit token (a batch that does not fit the key's budget is refused whole with 429), the
 * entries are admitted against the quotas one after another in the order given (so the quota's
 * boundary falls inside a batch where it would for requests sent one by one), and the answers are
 * looked up together, unknown profiles waited for up to `wait_ms`.
 */
export function createBatchHandler(deps: BatchHandlerDeps): (event: H3Event) => Promise<Response> {
  const { decider } = deps;
  const fail = (code: Parameters<typeof errorAnswer>[0], rate?: RateLimitDecision, message?: string) =>
    errorAnswer(code, { head: false, rate, message });

  async function withKey(event: H3Event, key: KeyForRequest, nowMs: number): Promise<Response> {
    if (key.type !== 'secret') {
      decider.reject(key, nowMs);
      return fail('secret_key_required');
    }
    const signed = event.url.searchParams.has(SIGNATURE_PARAMETER);
    const caller = decider.checkCaller(key, event.req.headers, BATCH_PATH, event.url, signed, nowMs);
    if (!caller.ok) {
      decider.reject(key, nowMs);
      return fail(caller.code, undefined, caller.message);
    }
    const read = await readBatchBody(event.req as Request);
    if (!read.ok) {
      decider.reject(key, nowMs);
      return fail('invalid_body', undefined, read.message);
    }
    const { profiles, size, waitMs } = read.body;

    let rate: RateLimitDecision | undefined;
    for (let i = 0; i < profiles.length; i++) {
      rate = decider.takeRate(key, nowMs);
      if (!rate.allowed) {
        return fail(
          'rate_limited',
          rate,
          `This batch of ${profiles.length} needs more of the key's per-minute budget than is left; wait for the Retry-After seconds, or send fewer profiles.`,
        );
      }
    }

    const reservation: Reservation = { pending: 0 };
    const results: (BatchResult | Promise<BatchResult>)[] = [];
    for (const input of profiles) {
      const named = namedProfileOf(input);
      const admitted = decider.admit(key, named, nowMs, reservation);
      const admission = admitted instanceof Promise ? await admitted : admitted;
      if (!admission.ok) {
        results.push(refusedResult(input, named.handle, admission.code));
        continue;
      }
      const decision = decider.answer(key, admission.handle, size, nowMs, { waitMs }, reservation);
      results.push(
        decision instanceof Promise ? decision.then((d) => decidedResult(input, d)) : decidedResult(input, decision),
      );
    }
    return jsonAnswer({ results: await Promise.all(results) }, rate);
  }

  return async function batch(event) {
    const nowMs = Date.now();
    const headers = event.req.headers;
    const identified = decider.identify(readSentKey(event.url.searchParams, headers), nowMs);
    const check = identified instanceof Promise ? await identified : identified;
    if (!check.ok) return fail(check.code);
    return withKey(event, check.key, nowMs);
  };
}
