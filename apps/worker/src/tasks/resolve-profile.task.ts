import { canonicalHandle } from '@avtrz/shared/linkedin-handle';
import type { Task } from 'graphile-worker';
import { z } from 'zod';
import { recordFailure } from '../resolution/record-outcome.ts';
import type { ResolutionContext } from '../resolution/resolution-context.ts';
import { resolveProfile } from '../resolution/resolve-profile.ts';

const payloadSchema = z.object({
  handle: z.string().refine((h) => canonicalHandle(h) === h, 'expected a canonical handle'),
  reason: z.string().max(100).optional(),
});

/**
 * `resolve_profile {handle, reason}`: one handle, deduplicated by its job key and run one at a time
 * per handle by its queue. Idempotent: running it twice, or again after a kill, ends in the same state.
 */
export function resolveProfileTask(ctx: ResolutionContext): Task {
  return async (payload, helpers) => {
    const parsed = payloadSchema.safeParse(payload);
    if (!parsed.success) {
      // Retrying cannot fix a malformed payload; log it and let the job go.
      helpers.logger.error(
        `resolve_profile: invalid payload ${JSON.stringify(payload)}: ${parsed.error.issues[0]?.message}`,
      );
      return;
    }
    const { handle, reason } = parsed.data;
    const started = performance.now();
    try {
      const outcome = await resolveProfile(ctx, handle, helpers.abortSignal);
      ctx.logger.info({ handle, reason, ...outcome, ms: Math.round(performance.now() - started) }, 'profile resolved');
    } catch (error) {
      // Our own dependencies failed. Graphile Worker retries; on the last attempt the failure is put
      // on the profile instead, so the job ends and the refresh schedule takes over.
      if (helpers.job.attempts < helpers.job.max_attempts) throw error;
      ctx.logger.error({ err: error, handle }, 'resolution failed on its last attempt');
      await recordFailure(ctx, handle, 'internal_error');
    }
  };
}
