-- Signing secrets of publishable keys (signed avatar URLs for emails, native apps and pages sent without
-- Origin or Referer). The API verifies signatures from memory, so the secret itself is stored; it is
-- shown to people once, when it is created. A key has at most two active secrets (rotation), which the
-- admin API enforces under a lock on the key row.
create table signing_secrets (
  id uuid primary key default gen_random_uuid(),
  key_id uuid not null references api_keys (id) on delete cascade,
  secret text not null unique check (length(secret) between 32 and 200),
  last4 text not null check (length(last4) = 4),
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index signing_secrets_active_idx on signing_secrets (key_id, created_at) where revoked_at is null;
