-- Usage batches already written, so that a batch whose commit went unconfirmed (a connection lost
-- after COMMIT) can be sent again without counting twice. Kept a day, then pruned by the API processes.
create table usage_batches (
  id uuid primary key,
  applied_at timestamptz not null default now()
);
create index usage_batches_applied_at_idx on usage_batches (applied_at);

-- Rate-limit windows are only read while current; old ones are pruned by their start.
create index rate_limit_windows_window_start_idx on rate_limit_windows (window_start);
