-- The person's Consent records (current version) and every version ever recorded.
create table consent_record (
  id           text primary key,
  person_id    text not null,
  status       text not null,
  version      integer not null,
  resource     text not null,
  recorded_by  text,
  updated_at   timestamptz not null
);
create index consent_record_person on consent_record (person_id, status);

create table consent_version (
  consent_id   text not null references consent_record (id),
  version      integer not null,
  resource     text not null,
  recorded_by  text,
  recorded_at  timestamptz not null,
  primary key (consent_id, version)
);

-- Projection of identity.careteam.v1: which organisations are in each person's care teams.
create table care_team (
  id         text primary key,
  person_id  text not null,
  version    integer not null,
  status     text not null
);
create table care_team_member (
  care_team_id  text not null references care_team (id),
  person_id     text not null,
  organization  text not null,
  primary key (care_team_id, organization)
);
create index care_team_member_person on care_team_member (person_id, organization);

-- A number that rises with every change a decision about the person depends on (consents, care teams).
create table person_revision (
  person_id  text primary key,
  revision   bigint not null
);
