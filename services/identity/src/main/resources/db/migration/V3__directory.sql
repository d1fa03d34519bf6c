-- The directory: Organization, Practitioner, PractitionerRole and HealthcareService, each stored as FHIR JSON with the
-- current version, and a token index of its search parameters (identifier, name, organization, role, category …).
create table directory_resource (
  resource_type text not null,
  id            text not null,
  version       integer not null,
  active        boolean not null,
  resource      text not null,
  created_at    timestamptz not null,
  updated_at    timestamptz not null,
  primary key (resource_type, id)
);

create table directory_token (
  resource_type text not null,
  id            text not null,
  param         text not null,
  value         text not null,
  foreign key (resource_type, id) references directory_resource (resource_type, id) on delete cascade
);
create index directory_token_lookup on directory_token (resource_type, param, value text_pattern_ops);
create index directory_token_owner on directory_token (resource_type, id);
-- An identifier names one resource of a type: an ODS code one Organization, a Keycloak username one PractitionerRole.
create unique index directory_identifier_unique on directory_token (resource_type, value) where param = 'identifier';

-- Care teams by person, for CareTeam?patient= and the care-team summary.
create index if not exists care_team_person_status on care_team (person_id, status);
