-- People and their sessions (console accounts). The four auth_* tables are the ones Better Auth uses,
-- as its migration planner wrote them for our options (apps/admin-graphql/src/auth/better-auth-options.ts),
-- plus our own constraints; a test checks that the planner finds nothing left to do.

create table auth_user (
  id uuid default pg_catalog.gen_random_uuid() not null primary key,
  name text not null,
  email text not null unique check (email = lower(email) and length(email) between 3 and 254),
  email_verified boolean not null,
  image text,
  created_at timestamptz default CURRENT_TIMESTAMP not null,
  updated_at timestamptz default CURRENT_TIMESTAMP not null,
  -- An operator of the installation (the person made by /setup).
  is_operator boolean not null default false
);

create table auth_session (
  id uuid default pg_catalog.gen_random_uuid() not null primary key,
  expires_at timestamptz not null,
  token text not null unique,
  created_at timestamptz default CURRENT_TIMESTAMP not null,
  updated_at timestamptz not null,
  ip_address text,
  user_agent text,
  user_id uuid not null references auth_user (id) on delete cascade
);
create index auth_session_user_id_idx on auth_session (user_id);

-- provider_id 'credential' holds the scrypt hash of the password in `password`.
create table auth_account (
  id uuid default pg_catalog.gen_random_uuid() not null primary key,
  account_id text not null,
  provider_id text not null,
  user_id uuid not null references auth_user (id) on delete cascade,
  access_token text,
  refresh_token text,
  id_token text,
  access_token_expires_at timestamptz,
  refresh_token_expires_at timestamptz,
  scope text,
  password text,
  created_at timestamptz default CURRENT_TIMESTAMP not null,
  updated_at timestamptz not null
);
create index auth_account_user_id_idx on auth_account (user_id);

create table auth_verification (
  id uuid default pg_catalog.gen_random_uuid() not null primary key,
  identifier text not null,
  value text not null,
  expires_at timestamptz not null,
  created_at timestamptz default CURRENT_TIMESTAMP not null,
  updated_at timestamptz default CURRENT_TIMESTAMP not null
);
create index auth_verification_identifier_idx on auth_verification (identifier);

-- Who belongs to which workspace: owners manage members and keys, members manage keys.
create table memberships (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  user_id uuid not null references auth_user (id) on delete cascade,
  role text not null check (role in ('owner', 'member')),
  created_at timestamptz not null default now(),
  primary key (workspace_id, user_id)
);
create index memberships_user_idx on memberships (user_id);

-- Single-use invitation links; only the SHA-256 of the token is kept.
create table invitations (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  email text not null check (email = lower(email) and length(email) between 3 and 254),
  role text not null check (role in ('owner', 'member')),
  token_hash bytea not null unique check (length(token_hash) = 32),
  invited_by uuid references auth_user (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  accepted_at timestamptz,
  accepted_by uuid references auth_user (id) on delete set null,
  revoked_at timestamptz
);
create index invitations_workspace_idx on invitations (workspace_id, created_at);

-- Failed sign-ins per email (hashed) and per client address, for the lockout.
create table sign_in_failures (
  subject text primary key,
  failures integer not null check (failures >= 0),
  window_started_at timestamptz not null,
  locked_until timestamptz
);
