-- The shared care record: FHIR resources about a person from every partner, with source organisation and labels.
create table record_resource (
  resource_type  text not null,
  id             text not null,
  version        integer not null,
  person_id      text not null,
  source_org     text,
  labels         text not null default '',
  resource       text not null,
  recorded_by    text,
  deleted        boolean not null default false,
  created_at     timestamptz not null,
  updated_at     timestamptz not null,
  primary key (resource_type, id)
);
create index record_resource_person on record_resource (person_id, resource_type) where not deleted;

-- AuditEvents: one per access (disclosure or denial); each carries the hash of the previous, so tampering shows.
create table audit_event (
  position        bigint generated always as identity primary key,
  id              text not null unique,
  recorded_at     timestamptz not null,
  person_id       text,
  actor_user      text,
  actor_org       text,
  action          text not null,
  outcome         text not null,
  purpose         text,
  revision        bigint,
  resource        text not null,
  previous_hash   text not null,
  hash            text not null
);
create index audit_event_person on audit_event (person_id, recorded_at);
