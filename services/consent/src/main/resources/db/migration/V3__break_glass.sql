-- Break-glass: emergency access (purpose ETREAT) granted to one user of one organisation for one person, for a limited
-- time, with a justification; every use is recorded, and the organisation's privacy officer reviews each grant.
create table break_glass (
  id             text primary key,
  person_id      text not null,
  organization   text not null,
  username       text not null,
  justification  text not null,
  granted_at     timestamptz not null,
  expires_at     timestamptz not null,
  review         text not null,
  reviewed_by    text,
  reviewed_at    timestamptz,
  review_note    text
);
create index break_glass_active on break_glass (person_id, organization, username, expires_at);
create index break_glass_queue on break_glass (organization, review, granted_at);

create table break_glass_use (
  grant_id   text not null references break_glass (id),
  used_at    timestamptz not null,
  items      integer not null
);
create index break_glass_use_grant on break_glass_use (grant_id);
