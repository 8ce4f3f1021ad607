import type { ColumnType, Generated, Selectable } from 'kysely';

export interface WorkspaceTable {
  id: Generated<string>;
  name: string;
  monthly_request_quota: Generated<number>;
  monthly_new_profile_quota: Generated<number>;
  rate_limit_per_minute: Generated<number>;
  created_at: ColumnType<Date, Date | undefined, never>;
}
export type WorkspaceRow = Selectable<WorkspaceTable>;
