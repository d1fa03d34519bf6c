-- Transactional outbox: events are written with the state change and relayed to Kafka (OutboxRelay).
create table outbox (
  position     bigint generated always as identity primary key,
  event_id     uuid not null unique,
  topic        text not null,
  event_key    text,
  type         text not null,
  subject      text,
  payload      text not null,
  occurred_at  timestamptz not null,
  sent_at      timestamptz
);
create index outbox_unsent on outbox (position) where sent_at is null;

-- Inbox: one row per event a consumer has applied, so redeliveries are skipped (Inbox).
create table processed_event (
  consumer      text not null,
  event_id      text not null,
  processed_at  timestamptz not null,
  primary key (consumer, event_id)
);
