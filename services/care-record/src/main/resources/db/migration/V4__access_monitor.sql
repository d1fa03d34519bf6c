-- Inappropriate-access monitoring over audit.v1: the accesses that matter to a rule (signals), and the alerts raised
-- for the privacy officer of the organisation the user acted for. Ids only: no clinical content, no names.
create table access_signal (
  id           bigint generated always as identity primary key,
  rule         text not null,
  user_name    text not null,
  organization text,
  person_id    text,
  -- what the rule counts distinct values of: a person id, or a break-glass grant id
  signal_key   text not null,
  event_id     text not null,
  at           timestamptz not null
);
create index access_signal_window on access_signal (rule, user_name, at);
-- a redelivered audit event adds nothing
create unique index access_signal_once on access_signal (event_id, rule, signal_key);
create index access_signal_age on access_signal (at);

create table access_alert (
  id            text primary key,
  rule          text not null,
  user_name     text not null,
  organization  text,
  raised_at     timestamptz not null,
  first_at      timestamptz not null,
  last_at       timestamptz not null,
  occurrences   integer not null,
  persons       text not null,
  description   text not null,
  status        text not null,
  reviewed_by   text,
  reviewed_at   timestamptz,
  review_note   text
);
create index access_alert_queue on access_alert (organization, status, raised_at desc);
create index access_alert_last on access_alert (rule, user_name, last_at desc);
