import type { Generated, Selectable } from 'kysely';

export interface UsageHourlyTable {
  key_id: string;
  workspace_id: string;
  hour: Date;
  billable: Generated<number>;
  not_modified: Generated<number>;
  fallbacks: Generated<number>;
  new_profiles: Generated<number>;
  rejected: Generated<number>;
}
export type UsageHourlyRow = Selectable<UsageHourlyTable>;

/** The same counts per UTC day, kept in step with usage_hourly by triggers (migration 0003): read-only here. */
export interface UsageDailyTable {
  key_id: string;
  workspace_id: string;
  /** Start of the UTC day. */
  day: Date;
  billable: number;
  not_modified: number;
  fallbacks: number;
  new_profiles: number;
  rejected: number;
}

export interface WorkspaceMonthlyProfileTable {
  workspace_id: string;
  /** First day of the calendar month (UTC), as 'YYYY-MM-01'. */
  month: string;
  handle: string;
  first_key_id: string | null;
  first_seen_at: Generated<Date>;
}

export interface WorkspaceMonthlyUsageTable {
  workspace_id: string;
  month: string;
  requests: Generated<number>;
  new_profiles: Generated<number>;
}

export interface RateLimitWindowTable {
  key_id: string;
  window_start: Date;
  requests: Generated<number>;
}

/** A usage batch already applied (its id makes a resent batch count once). */
export interface UsageBatchTable {
  id: string;
  applied_at: Generated<Date>;
}
