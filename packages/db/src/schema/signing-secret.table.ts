import type { ColumnType, Generated, Selectable } from 'kysely';

export interface SigningSecretTable {
  id: Generated<string>;
  key_id: string;
  /** Kept in full: the API computes HMACs with it. Shown to people once, when created. */
  secret: string;
  last4: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  revoked_at: Date | null;
}
export type SigningSecretRow = Selectable<SigningSecretTable>;
