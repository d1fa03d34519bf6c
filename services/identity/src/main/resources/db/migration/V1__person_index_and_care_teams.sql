-- Person index: one row per person, the FHIR Patient as JSON; the NHS number is unique when present.
create table person (
  id            text primary key,
  version       integer not null,
  nhs_number    text unique,
  resource      text not null,
  recorded_by   text,
  created_at    timestamptz not null,
  updated_at    timestamptz not null
);

-- Care teams (the person's MDT) and their member organisations, for the careteam events and lookups.
create table care_team (
  id            text primary key,
  version       integer not null,
  person_id     text not null references person (id),
  status        text not null,
  resource      text not null,
  created_at    timestamptz not null,
  updated_at    timestamptz not null
);
create index care_team_person on care_team (person_id);
