-- Merged person records, from identity.person.v1, for every service that keeps data by person id: data recorded
-- against a record merged away (source) belongs to the record it was merged into (target). Unmerge removes the row.
create table person_alias (
  source_id  text primary key,
  target_id  text not null,
  merge_id   text not null
);
create index person_alias_target on person_alias (target_id);
