-- The pruner finds what was sent before the retention through an index on when it was sent. Without one, each run
-- (every 10 minutes) read the whole outbox to delete nothing: a week's sent events, 3.4 GB on the local store after a
-- day of benchmarks, scanned by two parallel workers beside the requests. Rows are sent in the order they were written,
-- so each new entry lands at the right-hand edge of the index. Built with a lock that holds writes to the outbox
-- (not reads) while it is built: seconds per gigabyte of outbox, once, as the service is upgraded.
create index outbox_sent on outbox (sent_at) where sent_at is not null;
