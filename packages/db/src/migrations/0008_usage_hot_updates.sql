-- Every usage batch rewrites the same rows: a key-hour's usage_hourly and traffic_hosts rows, its
-- usage_daily row and its key's last_used_at, once a second per API process. Packed full, a page has
-- no room for the new version, so each update lands on another page and adds an entry to every index
-- of the table (measured: 1-4 % of the updates stayed on their page); with half of each page left free
-- they stay (heap-only updates, about 99 %), the indexes stop growing with every flush, and a batch
-- of 1,000 key-hours costs PostgreSQL about a third less. The price: a page holds half as many rows, so
-- the hours kept take about twice the heap (indexes unchanged), where before every flush left dead rows
-- and index entries behind until vacuum. Pages written from now on keep the room.
alter table usage_hourly set (fillfactor = 50);
alter table usage_daily set (fillfactor = 50);
alter table traffic_hosts set (fillfactor = 50);
alter table api_keys set (fillfactor = 50);
