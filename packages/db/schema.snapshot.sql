table api_keys (
  id uuid not null default gen_random_uuid()
  workspace_id uuid not null
  type text not null
  name text
  key_hash bytea not null
  prefix text not null
  last4 text not null
  allowed_domains text[] not null default '{}'::text[]
  created_at timestamp with time zone not null default now()
  last_used_at timestamp with time zone
  revoked_at timestamp with time zone
  constraint CHECK (((name IS NULL) OR (length(name) <= 200)))
  constraint CHECK ((length(key_hash) = 32))
  constraint CHECK ((length(last4) = 4))
  constraint CHECK ((type = ANY (ARRAY['publishable'::text, 'secret'::text])))
  constraint FOREIGN KEY (workspace_id) REFERENCES workspaces(id) ON DELETE CASCADE
  constraint NOT NULL allowed_domains
  constraint NOT NULL created_at
  constraint NOT NULL id
  constraint NOT NULL key_hash
  constraint NOT NULL last4
  constraint NOT NULL prefix
  constraint NOT NULL type
  constraint NOT NULL workspace_id
  constraint PRIMARY KEY (id)
  constraint UNIQUE (key_hash)
) with (fillfactor=50)
CREATE UNIQUE INDEX api_keys_key_hash_key ON public.api_keys USING btree (key_hash)
CREATE UNIQUE INDEX api_keys_pkey ON public.api_keys USING btree (id)
CREATE INDEX api_keys_workspace_idx ON public.api_keys USING btree (workspace_id, created_at)

table auth_account (
  id uuid not null default gen_random_uuid()
  account_id text not null
  provider_id text not null
  user_id uuid not null
  access_token text
  refresh_token text
  id_token text
  access_token_expires_at timestamp with time zone
  refresh_token_expires_at timestamp with time zone
  scope text
  password text
  created_at timestamp with time zone not null default CURRENT_TIMESTAMP
  updated_at timestamp with time zone not null
  constraint FOREIGN KEY (user_id) REFERENCES auth_user(id) ON DELETE CASCADE
  constraint NOT NULL account_id
  constraint NOT NULL created_at
  constraint NOT NULL id
  constraint NOT NULL provider_id
  constraint NOT NULL updated_at
  constraint NOT NULL user_id
  constraint PRIMARY KEY (id)
)
CREATE UNIQUE INDEX auth_account_pkey ON public.auth_account USING btree (id)
CREATE INDEX auth_account_user_id_idx ON public.auth_account USING btree (user_id)

table auth_session (
  id uuid not null default gen_random_uuid()
  expires_at timestamp with time zone not null
  token text not null
  created_at timestamp with time zone not null default CURRENT_TIMESTAMP
  updated_at timestamp with time zone not null
  ip_address text
  user_agent text
  user_id uuid not null
  constraint FOREIGN KEY (user_id) REFERENCES auth_user(id) ON DELETE CASCADE
  constraint NOT NULL created_at
  constraint NOT NULL expires_at
  constraint NOT NULL id
  constraint NOT NULL token
  constraint NOT NULL updated_at
  constraint NOT NULL user_id
  constraint PRIMARY KEY (id)
  constraint UNIQUE (token)
)
CREATE UNIQUE INDEX auth_session_pkey ON public.auth_session USING btree (id)
CREATE UNIQUE INDEX auth_session_token_key ON public.auth_session USING btree (token)
CREATE INDEX auth_session_user_id_idx ON public.auth_session USING btree (user_id)

table auth_user (
  id uuid not null default gen_random_uuid()
  name text not null
  email text not null
  email_verified boolean not null
  image text
  created_at timestamp with time zone not null default CURRENT_TIMESTAMP
  updated_at timestamp with time zone not null default CURRENT_TIMESTAMP
  is_operator boolean not null default false
  constraint CHECK (((email = lower(email)) AND ((length(email) >= 3) AND (length(email) <= 254))))
  constraint NOT NULL created_at
  constraint NOT NULL email
  constraint NOT NULL email_verified
  constraint NOT NULL id
  constraint NOT NULL is_operator
  constraint NOT NULL name
  constraint NOT NULL updated_at
  constraint PRIMARY KEY (id)
  constraint UNIQUE (email)
)
CREATE UNIQUE INDEX auth_user_email_key ON public.auth_user USING btree (email)
CREATE UNIQUE INDEX auth_user_pkey ON public.auth_user USING btree (id)

table auth_verification (
  id uuid not null default gen_random_uuid()
  identifier text not null
  value text not null
  expires_at timestamp with time zone not null
  created_at timestamp with time zone not null default CURRENT_TIMESTAMP
  updated_at timestamp with time zone not null default CURRENT_TIMESTAMP
  constraint NOT NULL created_at
  constraint NOT NULL expires_at
  constraint NOT NULL id
  constraint NOT NULL identifier
  constraint NOT NULL updated_at
  constraint NOT NULL value
  constraint PRIMARY KEY (id)
)
CREATE INDEX auth_verification_identifier_idx ON public.auth_verification USING btree (identifier)
CREATE UNIQUE INDEX auth_verification_pkey ON public.auth_verification USING btree (id)

table change_log (
  id bigint not null
  channel text not null
  payload text not null
  tx xid8 not null default pg_current_xact_id()
  changed_at timestamp with time zone not null default now()
  constraint NOT NULL changed_at
  constraint NOT NULL channel
  constraint NOT NULL id
  constraint NOT NULL payload
  constraint NOT NULL tx
  constraint PRIMARY KEY (id)
)
CREATE INDEX change_log_changed_at_idx ON public.change_log USING btree (changed_at)
CREATE UNIQUE INDEX change_log_pkey ON public.change_log USING btree (id)
CREATE INDEX change_log_tx_idx ON public.change_log USING btree (tx)
CREATE TRIGGER change_log_notify AFTER INSERT ON public.change_log FOR EACH ROW EXECUTE FUNCTION change_log_notify()

table image_variants (
  image_hash text not null
  size integer not null
  content_hash text not null
  storage_key text not null
  content_type text not null
  byte_size integer not null
  constraint CHECK ((content_hash ~ '^[0-9a-f]{64}$'::text))
  constraint CHECK ((size = ANY (ARRAY[32, 64, 128, 256, 512])))
  constraint FOREIGN KEY (image_hash) REFERENCES images(hash) ON DELETE CASCADE
  constraint NOT NULL byte_size
  constraint NOT NULL content_hash
  constraint NOT NULL content_type
  constraint NOT NULL image_hash
  constraint NOT NULL size
  constraint NOT NULL storage_key
  constraint PRIMARY KEY (image_hash, size)
)
CREATE UNIQUE INDEX image_variants_pkey ON public.image_variants USING btree (image_hash, size)
CREATE INDEX image_variants_storage_key_idx ON public.image_variants USING btree (storage_key)

table images (
  hash text not null
  source_url text not null
  source_width integer not null
  source_height integer not null
  format text not null
  created_at timestamp with time zone not null default now()
  unreferenced_since timestamp with time zone
  constraint CHECK ((format = ANY (ARRAY['webp'::text, 'png'::text])))
  constraint CHECK ((hash ~ '^[0-9a-f]{64}$'::text))
  constraint NOT NULL created_at
  constraint NOT NULL format
  constraint NOT NULL hash
  constraint NOT NULL source_height
  constraint NOT NULL source_url
  constraint NOT NULL source_width
  constraint PRIMARY KEY (hash)
)
CREATE UNIQUE INDEX images_pkey ON public.images USING btree (hash)

table invitations (
  id uuid not null default gen_random_uuid()
  workspace_id uuid not null
  email text not null
  role text not null
  token_hash bytea not null
  invited_by uuid
  created_at timestamp with time zone not null default now()
  expires_at timestamp with time zone not null
  accepted_at timestamp with time zone
  accepted_by uuid
  revoked_at timestamp with time zone
  constraint CHECK (((email = lower(email)) AND ((length(email) >= 3) AND (length(email) <= 254))))
  constraint CHECK ((length(token_hash) = 32))
  constraint CHECK ((role = ANY (ARRAY['owner'::text, 'member'::text])))
  constraint FOREIGN KEY (accepted_by) REFERENCES auth_user(id) ON DELETE SET NULL
  constraint FOREIGN KEY (invited_by) REFERENCES auth_user(id) ON DELETE SET NULL
  constraint FOREIGN KEY (workspace_id) REFERENCES workspaces(id) ON DELETE CASCADE
  constraint NOT NULL created_at
  constraint NOT NULL email
  constraint NOT NULL expires_at
  constraint NOT NULL id
  constraint NOT NULL role
  constraint NOT NULL token_hash
  constraint NOT NULL workspace_id
  constraint PRIMARY KEY (id)
  constraint UNIQUE (token_hash)
)
CREATE UNIQUE INDEX invitations_pkey ON public.invitations USING btree (id)
CREATE UNIQUE INDEX invitations_token_hash_key ON public.invitations USING btree (token_hash)
CREATE INDEX invitations_workspace_idx ON public.invitations USING btree (workspace_id, created_at)

table memberships (
  workspace_id uuid not null
  user_id uuid not null
  role text not null
  created_at timestamp with time zone not null default now()
  constraint CHECK ((role = ANY (ARRAY['owner'::text, 'member'::text])))
  constraint FOREIGN KEY (user_id) REFERENCES auth_user(id) ON DELETE CASCADE
  constraint FOREIGN KEY (workspace_id) REFERENCES workspaces(id) ON DELETE CASCADE
  constraint NOT NULL created_at
  constraint NOT NULL role
  constraint NOT NULL user_id
  constraint NOT NULL workspace_id
  constraint PRIMARY KEY (workspace_id, user_id)
)
CREATE UNIQUE INDEX memberships_pkey ON public.memberships USING btree (workspace_id, user_id)
CREATE INDEX memberships_user_idx ON public.memberships USING btree (user_id)

table profiles (
  handle text not null
  status text not null default 'pending'::text
  image_hash text
  resolved_at timestamp with time zone
  checked_at timestamp with time zone
  next_refresh_at timestamp with time zone
  last_requested_at timestamp with time zone
  failure_count integer not null default 0
  last_error text
  created_at timestamp with time zone not null default now()
  updated_at timestamp with time zone not null default now()
  constraint CHECK (((length(handle) >= 3) AND (length(handle) <= 100)))
  constraint CHECK (((status <> 'resolved'::text) OR (image_hash IS NOT NULL)))
  constraint CHECK ((status = ANY (ARRAY['pending'::text, 'resolved'::text, 'no_photo'::text, 'failed'::text])))
  constraint FOREIGN KEY (image_hash) REFERENCES images(hash)
  constraint NOT NULL created_at
  constraint NOT NULL failure_count
  constraint NOT NULL handle
  constraint NOT NULL status
  constraint NOT NULL updated_at
  constraint PRIMARY KEY (handle)
)
CREATE INDEX profiles_image_hash_idx ON public.profiles USING btree (image_hash)
CREATE INDEX profiles_next_refresh_idx ON public.profiles USING btree (next_refresh_at)
CREATE UNIQUE INDEX profiles_pkey ON public.profiles USING btree (handle)

table rate_limit_windows (
  key_id uuid not null
  window_start timestamp with time zone not null
  requests integer not null default 0
  constraint FOREIGN KEY (key_id) REFERENCES api_keys(id) ON DELETE CASCADE
  constraint NOT NULL key_id
  constraint NOT NULL requests
  constraint NOT NULL window_start
  constraint PRIMARY KEY (key_id, window_start)
)
CREATE UNIQUE INDEX rate_limit_windows_pkey ON public.rate_limit_windows USING btree (key_id, window_start)
CREATE INDEX rate_limit_windows_window_start_idx ON public.rate_limit_windows USING btree (window_start)

table sign_in_failures (
  subject text not null
  failures integer not null
  window_started_at timestamp with time zone not null
  locked_until timestamp with time zone
  constraint CHECK ((failures >= 0))
  constraint NOT NULL failures
  constraint NOT NULL subject
  constraint NOT NULL window_started_at
  constraint PRIMARY KEY (subject)
)
CREATE UNIQUE INDEX sign_in_failures_pkey ON public.sign_in_failures USING btree (subject)

table signing_secrets (
  id uuid not null default gen_random_uuid()
  key_id uuid not null
  secret text not null
  last4 text not null
  created_at timestamp with time zone not null default now()
  revoked_at timestamp with time zone
  constraint CHECK (((length(secret) >= 32) AND (length(secret) <= 200)))
  constraint CHECK ((length(last4) = 4))
  constraint FOREIGN KEY (key_id) REFERENCES api_keys(id) ON DELETE CASCADE
  constraint NOT NULL created_at
  constraint NOT NULL id
  constraint NOT NULL key_id
  constraint NOT NULL last4
  constraint NOT NULL secret
  constraint PRIMARY KEY (id)
  constraint UNIQUE (secret)
)
CREATE INDEX signing_secrets_active_idx ON public.signing_secrets USING btree (key_id, created_at) WHERE (revoked_at IS NULL)
CREATE UNIQUE INDEX signing_secrets_pkey ON public.signing_secrets USING btree (id)
CREATE UNIQUE INDEX signing_secrets_secret_key ON public.signing_secrets USING btree (secret)

table traffic_hosts (
  key_id uuid not null
  hour timestamp with time zone not null
  source text not null
  host text not null default ''::text
  requests integer not null default 0
  blocked integer not null default 0
  constraint CHECK ((((source = 'host'::text) = (host <> ''::text)) AND (length(host) <= 253)))
  constraint CHECK ((date_trunc('hour'::text, hour, 'UTC'::text) = hour))
  constraint CHECK ((source = ANY (ARRAY['host'::text, 'none'::text, 'unreadable'::text, 'other'::text])))
  constraint FOREIGN KEY (key_id) REFERENCES api_keys(id) ON DELETE CASCADE
  constraint NOT NULL blocked
  constraint NOT NULL host
  constraint NOT NULL hour
  constraint NOT NULL key_id
  constraint NOT NULL requests
  constraint NOT NULL source
  constraint PRIMARY KEY (key_id, hour, source, host)
) with (fillfactor=50)
CREATE INDEX traffic_hosts_hour_idx ON public.traffic_hosts USING btree (hour)
CREATE UNIQUE INDEX traffic_hosts_pkey ON public.traffic_hosts USING btree (key_id, hour, source, host)

table usage_batches (
  id uuid not null
  applied_at timestamp with time zone not null default now()
  constraint NOT NULL applied_at
  constraint NOT NULL id
  constraint PRIMARY KEY (id)
)
CREATE INDEX usage_batches_applied_at_idx ON public.usage_batches USING btree (applied_at)
CREATE UNIQUE INDEX usage_batches_pkey ON public.usage_batches USING btree (id)

table usage_daily (
  key_id uuid not null
  workspace_id uuid not null
  day timestamp with time zone not null
  billable integer not null default 0
  not_modified integer not null default 0
  fallbacks integer not null default 0
  new_profiles integer not null default 0
  rejected integer not null default 0
  constraint CHECK ((date_trunc('day'::text, day, 'UTC'::text) = day))
  constraint FOREIGN KEY (key_id) REFERENCES api_keys(id) ON DELETE CASCADE
  constraint FOREIGN KEY (workspace_id) REFERENCES workspaces(id) ON DELETE CASCADE
  constraint NOT NULL billable
  constraint NOT NULL day
  constraint NOT NULL fallbacks
  constraint NOT NULL key_id
  constraint NOT NULL new_profiles
  constraint NOT NULL not_modified
  constraint NOT NULL rejected
  constraint NOT NULL workspace_id
  constraint PRIMARY KEY (key_id, day)
) with (fillfactor=50)
CREATE UNIQUE INDEX usage_daily_pkey ON public.usage_daily USING btree (key_id, day)
CREATE INDEX usage_daily_workspace_day_idx ON public.usage_daily USING btree (workspace_id, day)

table usage_hourly (
  key_id uuid not null
  workspace_id uuid not null
  hour timestamp with time zone not null
  billable integer not null default 0
  not_modified integer not null default 0
  fallbacks integer not null default 0
  new_profiles integer not null default 0
  rejected integer not null default 0
  constraint CHECK ((date_trunc('hour'::text, hour) = hour))
  constraint FOREIGN KEY (key_id) REFERENCES api_keys(id) ON DELETE CASCADE
  constraint FOREIGN KEY (workspace_id) REFERENCES workspaces(id) ON DELETE CASCADE
  constraint NOT NULL billable
  constraint NOT NULL fallbacks
  constraint NOT NULL hour
  constraint NOT NULL key_id
  constraint NOT NULL new_profiles
  constraint NOT NULL not_modified
  constraint NOT NULL rejected
  constraint NOT NULL workspace_id
  constraint PRIMARY KEY (key_id, hour)
) with (fillfactor=50)
CREATE UNIQUE INDEX usage_hourly_pkey ON public.usage_hourly USING btree (key_id, hour)
CREATE INDEX usage_hourly_workspace_hour_idx ON public.usage_hourly USING btree (workspace_id, hour)
CREATE TRIGGER usage_hourly_adds_to_days AFTER INSERT ON public.usage_hourly REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_daily_follow_hourly()
CREATE TRIGGER usage_hourly_changes_days AFTER UPDATE ON public.usage_hourly REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_daily_follow_hourly()

table workspace_monthly_profiles (
  workspace_id uuid not null
  month date not null
  handle text not null
  first_key_id uuid
  first_seen_at timestamp with time zone not null default now()
  constraint CHECK ((EXTRACT(day FROM month) = (1)::numeric))
  constraint FOREIGN KEY (first_key_id) REFERENCES api_keys(id) ON DELETE SET NULL
  constraint FOREIGN KEY (workspace_id) REFERENCES workspaces(id) ON DELETE CASCADE
  constraint NOT NULL first_seen_at
  constraint NOT NULL handle
  constraint NOT NULL month
  constraint NOT NULL workspace_id
  constraint PRIMARY KEY (workspace_id, month, handle)
)
CREATE UNIQUE INDEX workspace_monthly_profiles_pkey ON public.workspace_monthly_profiles USING btree (workspace_id, month, handle)

table workspace_monthly_usage (
  workspace_id uuid not null
  month date not null
  requests integer not null default 0
  new_profiles integer not null default 0
  constraint CHECK ((EXTRACT(day FROM month) = (1)::numeric))
  constraint FOREIGN KEY (workspace_id) REFERENCES workspaces(id) ON DELETE CASCADE
  constraint NOT NULL month
  constraint NOT NULL new_profiles
  constraint NOT NULL requests
  constraint NOT NULL workspace_id
  constraint PRIMARY KEY (workspace_id, month)
)
CREATE UNIQUE INDEX workspace_monthly_usage_pkey ON public.workspace_monthly_usage USING btree (workspace_id, month)

table workspaces (
  id uuid not null default gen_random_uuid()
  name text not null
  monthly_request_quota integer not null default 10000
  monthly_new_profile_quota integer not null default 1000
  rate_limit_per_minute integer not null default 600
  created_at timestamp with time zone not null default now()
  constraint CHECK (((length(name) >= 1) AND (length(name) <= 200)))
  constraint CHECK ((monthly_new_profile_quota >= 0))
  constraint CHECK ((monthly_request_quota >= 0))
  constraint CHECK ((rate_limit_per_minute >= 1))
  constraint NOT NULL created_at
  constraint NOT NULL id
  constraint NOT NULL monthly_new_profile_quota
  constraint NOT NULL monthly_request_quota
  constraint NOT NULL name
  constraint NOT NULL rate_limit_per_minute
  constraint PRIMARY KEY (id)
)
CREATE UNIQUE INDEX workspaces_pkey ON public.workspaces USING btree (id)

function change_log_notify() returns trigger
function usage_daily_add(added usage_hourly[], removed usage_hourly[]) returns void
function usage_daily_follow_hourly() returns trigger
