import type { ColumnType, Generated, Selectable } from 'kysely';

/** People, their sessions and credentials: Better Auth's tables (migration 0004), as our queries see them. */

export type MemberRole = 'owner' | 'member';

export interface AuthUserTable {
  id: Generated<string>;
  name: string;
  /** Lower-case. */
  email: string;
  email_verified: boolean;
  image: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  is_operator: Generated<boolean>;
}
export type AuthUserRow = Selectable<AuthUserTable>;

export interface AuthSessionTable {
  id: Generated<string>;
  expires_at: Date;
  token: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: Date;
  ip_address: string | null;
  user_agent: string | null;
  user_id: string;
}

export interface AuthAccountTable {
  id: Generated<string>;
  account_id: string;
  provider_id: string;
  user_id: string;
  access_token: string | null;
  refresh_token: string | null;
  id_token: string | null;
  access_token_expires_at: Date | null;
  refresh_token_expires_at: Date | null;
  scope: string | null;
  /** The password hash (provider 'credential'). */
  password: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: Date;
}

export interface AuthVerificationTable {
  id: Generated<string>;
  identifier: string;
  value: string;
  expires_at: Date;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface MembershipTable {
  workspace_id: string;
  user_id: string;
  role: MemberRole;
  created_at: ColumnType<Date, Date | undefined, never>;
}
export type MembershipRow = Selectable<MembershipTable>;

export interface InvitationTable {
  id: Generated<string>;
  workspace_id: string;
  email: string;
  role: MemberRole;
  /** SHA-256 of the token in the link; the token itself is never stored. */
  token_hash: Uint8Array;
  invited_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  expires_at: Date;
  accepted_at: Date | null;
  accepted_by: string | null;
  revoked_at: Date | null;
}
export type InvitationRow = Selectable<InvitationTable>;

export interface SignInFailureTable {
  /** 'email:<sha256 hex>' or 'address:<ip>'. */
  subject: string;
  failures: number;
  window_started_at: Date;
  locked_until: Date | null;
}
export type SignInFailureRow = Selectable<SignInFailureTable>;
