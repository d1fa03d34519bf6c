-- Legitimate relationships derived from events, beyond the care team: an organisation holding an active referral for
-- the person (referral.v1), an open encounter or an open social-care case (EpisodeOfCare) in the shared record
-- (record.v1). One row per source (the referral, the encounter, the episode); it ends when the episode does.
create table relationship (
  source_type   text not null check (source_type in ('referral', 'encounter', 'case')),
  source_id     text not null,
  person_id     text not null,
  organization  text not null,
  status        text not null,
  active        boolean not null,
  version       integer not null,
  updated_at    timestamptz not null,
  primary key (source_type, source_id)
);
create index relationship_person on relationship (person_id) where active;
