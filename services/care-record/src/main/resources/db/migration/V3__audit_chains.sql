-- The audit trail is kept as 16 hash chains (by person), so accesses to different people do not wait on one lock.
-- Entries written before continue as chain 0.
alter table audit_event add column chain smallint not null default 0;
create index audit_event_chain on audit_event (chain, position);
create index audit_event_person_position on audit_event (person_id, position);
