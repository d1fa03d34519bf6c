-- V9's consent_record_objection_queue (updated_at, id) serves everything V5's consent_record_objection (updated_at)
-- did, with the same condition: keep one.
drop index if exists consent_record_objection;
