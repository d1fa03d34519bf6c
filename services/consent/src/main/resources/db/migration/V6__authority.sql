-- Authority to consent: the person's date of birth (from identity.person.v1) for age-bound authority, and capacity
-- assessments for decisions about sharing the person's information (Mental Capacity Act 2005; Gillick competence
-- for children under 16). The latest assessment of a decision counts.
alter table person_status add column birth_date date;

create table capacity_assessment (
  id                     text primary key,
  person_id              text not null,
  decision               text not null,
  has_capacity           boolean not null,
  assessed_on            date not null,
  assessment             text not null,
  note                   text,
  recorded_by            text not null,
  recorded_by_org        text not null,
  recorded_at            timestamptz not null
);
create index capacity_assessment_person on capacity_assessment (person_id, decision, assessed_on desc, recorded_at desc);
