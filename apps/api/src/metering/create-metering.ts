import type { DatabaseHandle } from '@avtrz/db/client';
import type { Config } from '@avtrz/shared/config';
import type { Logger } from '@avtrz/shared/logger';
import type { Metering } from './metering.ts';

export interface MeteringDeps {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly logger: Logger;
}

/** Usage counting, quotas and rate limits for one API process (being built: admits and allows all for now). */
export function createMetering(_deps: MeteringDeps): Metering {
  return {
    takeRateLimit(key) {
      const limit = key.plan.rateLimitPerMinute;
      return { allowed: true, limit, remaining: limit, resetSeconds: 0, retryAfterSeconds: 1 };
    },
    admitProfile: async () => ({ kind: 'admitted', newProfile: false }),
    record() {},
    flush: async () => {},
    close: async () => {},
  };
}
