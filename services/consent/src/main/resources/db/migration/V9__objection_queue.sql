-- The privacy officer's objection queue reads active objections oldest first; the status (pending, upheld,
-- overridden) follows in the same statement from each one's latest review.
create index consent_record_objection_queue on consent_record (updated_at, id) where objection and status = 'active';
