-- Every change announced to the API processes, kept for an hour: a process whose LISTEN connection
-- was lost re-reads what it missed instead of forgetting everything it holds. `tx` is the writing
-- transaction, so a reader can tell rows that were not yet committed when it last looked (ids are
-- handed out in insert order, not commit order).
create table change_log (
  id bigint generated always as identity primary key,
  channel text not null,
  payload text not null,
  tx xid8 not null default pg_current_xact_id(),
  changed_at timestamptz not null default now()
);
create index change_log_tx_idx on change_log (tx);
create index change_log_changed_at_idx on change_log (changed_at);

-- The row and its notification travel together: a NOTIFY is delivered when the transaction commits.
create function change_log_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify(new.channel, new.payload);
  return null;
end;
$$;
create trigger change_log_notify after insert on change_log
  for each row execute function change_log_notify();
