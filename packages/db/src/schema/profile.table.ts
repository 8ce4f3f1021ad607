import type { ColumnType, Generated, Selectable } from 'kysely';

export type ProfileStatus = 'pending' | 'resolved' | 'no_photo' | 'failed';

export interface ProfileTable {
  /** Canonical handle: decoded, NFC-normalised, lower-cased. */
  handle: string;
  status: Generated<ProfileStatus>;
  image_hash: string | null;
  resolved_at: Date | null;
  checked_at: Date | null;
  next_refresh_at: Date | null;
  last_requested_at: Date | null;
  failure_count: Generated<number>;
  last_error: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: Generated<Date>;
}
export type ProfileRow = Selectable<ProfileTable>;
