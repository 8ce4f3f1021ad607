import type { ApiKeyTable } from './api-key.table.ts';
import type { ImageTable, ImageVariantTable } from './image.table.ts';
import type { ProfileTable } from './profile.table.ts';
import type { SigningSecretTable } from './signing-secret.table.ts';
import type {
  RateLimitWindowTable,
  UsageBatchTable,
  UsageDailyTable,
  UsageHourlyTable,
  WorkspaceMonthlyProfileTable,
  WorkspaceMonthlyUsageTable,
} from './usage.table.ts';
import type { WorkspaceTable } from './workspace.table.ts';

export type { ApiKeyRow, ApiKeyType } from './api-key.table.ts';
export type { ImageFormat, ImageRow, ImageVariantRow } from './image.table.ts';
export type { ProfileRow, ProfileStatus } from './profile.table.ts';
export type { SigningSecretRow } from './signing-secret.table.ts';
export type { UsageHourlyRow } from './usage.table.ts';
export type { WorkspaceRow } from './workspace.table.ts';

/** Every table of the public schema, as Kysely sees it. */
export interface Database {
  workspaces: WorkspaceTable;
  api_keys: ApiKeyTable;
  images: ImageTable;
  image_variants: ImageVariantTable;
  profiles: ProfileTable;
  usage_hourly: UsageHourlyTable;
  usage_daily: UsageDailyTable;
  usage_batches: UsageBatchTable;
  workspace_monthly_profiles: WorkspaceMonthlyProfileTable;
  workspace_monthly_usage: WorkspaceMonthlyUsageTable;
  rate_limit_windows: RateLimitWindowTable;
  signing_secrets: SigningSecretTable;
}
