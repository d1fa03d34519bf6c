-- The access monitor's first question per access, "could any window around it reach the rule's threshold?", stepped
-- from key to key through access_signal_keys. A key with no signal near the access was still read signal by signal
-- (the time was the index's last column), so a user with many accesses in the days kept (a night's reading of one
-- person adds one per read) cost 35-55 ms of database time per access, and the monitor fell behind its audit stream.
-- Each key now has one span per rule and user: when its first and its last signal were. The question is a range of
-- the spans (last signal after the window opens, first before it closes): at most a threshold's worth of rows.
create table access_signal_span (
  rule       text not null,
  user_name  text not null,
  signal_key text not null,
  first_at   timestamptz not null,
  last_at    timestamptz not null,
  primary key (rule, user_name, signal_key)
);
create index access_signal_span_recent on access_signal_span (rule, user_name, last_at);

insert into access_signal_span (rule, user_name, signal_key, first_at, last_at)
  select rule, user_name, signal_key, min(at), max(at) from access_signal group by rule, user_name, signal_key;

drop index access_signal_keys;

analyze access_signal_span;
