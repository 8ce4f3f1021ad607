-- Where each key's requests come from, per UTC hour: the host of their Origin (or Referer), counted by
-- the API processes and written with their usage batches. A key-hour holds at most a fixed number of
-- hosts by name (see traffic.queries.ts); later hosts of that hour add to its 'other' row. Requests
-- without either header count under 'none', headers naming no usable host (`Origin: null`, `file:`
-- pages) under 'unreadable'. `blocked` is what was refused with domain_blocked under the list of the
-- time; whether a host is on the key's list is decided when read, against the list as it is then.
create table traffic_hosts (
  key_id uuid not null references api_keys (id) on delete cascade,
  hour timestamptz not null check (date_trunc('hour', hour, 'UTC') = hour),
  source text not null check (source in ('host', 'none', 'unreadable', 'other')),
  -- Lower-case ASCII, no port; '' for every source but 'host'.
  host text not null default '' check ((source = 'host') = (host <> '') and length(host) <= 253),
  requests integer not null default 0,
  blocked integer not null default 0,
  primary key (key_id, hour, source, host)
);
-- Old hours are pruned by their start.
create index traffic_hosts_hour_idx on traffic_hosts (hour);
