-- The whole data model of avtrz. Frozen once released: later changes go in new numbered files.

create table workspaces (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  monthly_request_quota integer not null default 10000 check (monthly_request_quota >= 0),
  monthly_new_profile_quota integer not null default 1000 check (monthly_new_profile_quota >= 0),
  rate_limit_per_minute integer not null default 600 check (rate_limit_per_minute >= 1),
  created_at timestamptz not null default now()
);

-- Only the SHA-256 of a key is stored; prefix and last4 let people recognise a key in lists.
create table api_keys (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  type text not null check (type in ('publishable', 'secret')),
  name text check (name is null or length(name) <= 200),
  key_hash bytea not null unique check (length(key_hash) = 32),
  prefix text not null,
  last4 text not null check (length(last4) = 4),
  allowed_domains text[] not null default '{}',
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  -- May lie in the future: a rolled key keeps working until its grace period ends.
  revoked_at timestamptz
);
create index api_keys_workspace_idx on api_keys (workspace_id, created_at);

-- A source photo, addressed by the SHA-256 of the bytes it was made from.
create table images (
  hash text primary key check (hash ~ '^[0-9a-f]{64}$'),
  source_url text not null,
  source_width integer not null,
  source_height integer not null,
  format text not null check (format in ('webp', 'png')),
  created_at timestamptz not null default now(),
  -- Set when no profile points at the image any more; the clean-up deletes it after a grace period.
  unreferenced_since timestamptz
);

-- One square rendition of an image. The storage key (and so the public URL) is the hash of its bytes.
create table image_variants (
  image_hash text not null references images (hash) on delete cascade,
  size integer not null check (size in (32, 64, 128, 256, 512)),
  content_hash text not null check (content_hash ~ '^[0-9a-f]{64}$'),
  storage_key text not null,
  content_type text not null,
  byte_size integer not null,
  primary key (image_hash, size)
);
create index image_variants_storage_key_idx on image_variants (storage_key);

create table profiles (
  handle text primary key check (length(handle) between 3 and 100),
  status text not null default 'pending' check (status in ('pending', 'resolved', 'no_photo', 'failed')),
  image_hash text references images (hash),
  resolved_at timestamptz,
  checked_at timestamptz,
  next_refresh_at timestamptz,
  last_requested_at timestamptz,
  failure_count integer not null default 0,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (status <> 'resolved' or image_hash is not null)
);
create index profiles_next_refresh_idx on profiles (next_refresh_at);
create index profiles_image_hash_idx on profiles (image_hash);

-- Usage per key per hour, written in batches by the API processes.
create table usage_hourly (
  key_id uuid not null references api_keys (id) on delete cascade,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  hour timestamptz not null check (date_trunc('hour', hour) = hour),
  billable integer not null default 0,
  not_modified integer not null default 0,
  fallbacks integer not null default 0,
  new_profiles integer not null default 0,
  rejected integer not null default 0,
  primary key (key_id, hour)
);
create index usage_hourly_workspace_hour_idx on usage_hourly (workspace_id, hour);

-- The profiles a workspace requested in a calendar month (UTC): a row's insertion is the new-profile event.
create table workspace_monthly_profiles (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  month date not null check (extract(day from month) = 1),
  handle text not null,
  first_key_id uuid references api_keys (id) on delete set null,
  first_seen_at timestamptz not null default now(),
  primary key (workspace_id, month, handle)
);

-- Monthly counters per workspace, kept exact under concurrency by row locks; the quota checks read them.
create table workspace_monthly_usage (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  month date not null check (extract(day from month) = 1),
  requests integer not null default 0,
  new_profiles integer not null default 0,
  primary key (workspace_id, month)
);

-- Requests accepted per key per minute window, summed over every API process (rate limiting).
create table rate_limit_windows (
  key_id uuid not null references api_keys (id) on delete cascade,
  window_start timestamptz not null,
  requests integer not null default 0,
  primary key (key_id, window_start)
);
