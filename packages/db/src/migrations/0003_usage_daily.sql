-- Usage per key per UTC day, kept in step with usage_hourly by triggers: daily charts over a year read
-- one row per key and day instead of twenty-four. usage_hourly stays the record that hourly charts and
-- billing read; whatever adds to it (the API's batches, anything else) adds to its days in the same
-- statement. Deleting hourly rows leaves their days as they were: days outlive hours, so a future
-- retention job may drop old hours and keep the daily series. Both go with their key or workspace.
create table usage_daily (
  key_id uuid not null references api_keys (id) on delete cascade,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  day timestamptz not null check (date_trunc('day', day, 'UTC') = day),
  billable integer not null default 0,
  not_modified integer not null default 0,
  fallbacks integer not null default 0,
  new_profiles integer not null default 0,
  rejected integer not null default 0,
  primary key (key_id, day)
);
create index usage_daily_workspace_day_idx on usage_daily (workspace_id, day);

-- Adds the hourly rows `added` and takes away `removed` (an update's old rows) from their days. Rows
-- are locked in key and day order, so batches from several API processes never deadlock here.
create function usage_daily_add(added usage_hourly[], removed usage_hourly[]) returns void language sql as $$
  insert into usage_daily as d (key_id, workspace_id, day, billable, not_modified, fallbacks, new_profiles, rejected)
  select key_id, workspace_id, date_trunc('day', hour, 'UTC'), sum(billable), sum(not_modified), sum(fallbacks),
    sum(new_profiles), sum(rejected)
  from (
    select key_id, workspace_id, hour, billable, not_modified, fallbacks, new_profiles, rejected from unnest(added)
    union all
    select key_id, workspace_id, hour, -billable, -not_modified, -fallbacks, -new_profiles, -rejected from unnest(removed)
  ) as change
  group by 1, 2, 3
  order by 1, 3
  on conflict (key_id, day) do update set
    billable = d.billable + excluded.billable,
    not_modified = d.not_modified + excluded.not_modified,
    fallbacks = d.fallbacks + excluded.fallbacks,
    new_profiles = d.new_profiles + excluded.new_profiles,
    rejected = d.rejected + excluded.rejected
$$;

create function usage_daily_follow_hourly() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    perform usage_daily_add(array(select r::usage_hourly from new_rows r), '{}');
  else
    perform usage_daily_add(array(select r::usage_hourly from new_rows r), array(select r::usage_hourly from old_rows r));
  end if;
  return null;
end
$$;

-- No writes between the copy below and the triggers taking over.
lock table usage_hourly in share row exclusive mode;

insert into usage_daily (key_id, workspace_id, day, billable, not_modified, fallbacks, new_profiles, rejected)
select key_id, workspace_id, date_trunc('day', hour, 'UTC'), sum(billable), sum(not_modified), sum(fallbacks),
  sum(new_profiles), sum(rejected)
from usage_hourly
group by 1, 2, 3;

create trigger usage_hourly_adds_to_days after insert on usage_hourly
  referencing new table as new_rows for each statement execute function usage_daily_follow_hourly();
create trigger usage_hourly_changes_days after update on usage_hourly
  referencing old table as old_rows new table as new_rows for each statement execute function usage_daily_follow_hourly();
