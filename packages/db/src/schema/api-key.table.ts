import type { ColumnType, Generated, Selectable } from 'kysely';

export type ApiKeyType = 'publishable' | 'secret';

export interface ApiKeyTable {
  id: Generated<string>;
  workspace_id: string;
  type: ApiKeyType;
  name: string | null;
  /** SHA-256 of the full key; the key itself is never stored. */
  key_hash: Uint8Array;
  prefix: string;
  last4: string;
  allowed_domains: Generated<string[]>;
  created_at: ColumnType<Date, Date | undefined, never>;
  last_used_at: Date | null;
  revoked_at: Date | null;
}
export type ApiKeyRow = Selectable<ApiKeyTable>;
