import type { UsageCounts } from '../../src/queries/usage.queries.ts';

/** One key-hour of counts as an API process sends it: zero everywhere but what `extra` says. */
export const usageCounts = (keyId: string, hour: string, extra: Partial<UsageCounts> = {}): UsageCounts => ({
  keyId,
  hour: new Date(hour),
  billable: 0,
  notModified: 0,
  fallbacks: 0,
  newProfiles: 0,
  rejected: 0,
  lastUsedAt: new Date(hour),
  ...extra,
});
