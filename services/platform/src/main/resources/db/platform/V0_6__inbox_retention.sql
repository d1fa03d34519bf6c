-- The inbox keeps an event's mark for tellonce.inbox.keep (30 days by default; InboxPruner), longer than Kafka keeps the
-- event and so could deliver it again. The pruner finds the oldest marks through this index; marks are written as
-- events are processed, so each new entry lands at the right-hand edge.
create index processed_event_age on processed_event (processed_at);
