-- audit_event_person (person, recorded_at) has served no query since V3: a person's trail is read by position
-- (audit_event_person_position). One index fewer for every entry appended.
drop index audit_event_person;
