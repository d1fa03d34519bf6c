-- The workflow: the referral's current status and receiver (also on its Task), every move in its history, and who
-- coordinates each person's care (from identity's care-team events) so that a redirect tells them.
alter table referral
  add column status            text not null default 'requested',
  add column held_from         text,
  add column priority          text not null default 'routine',
  add column recipient_service text,
  add column updated_at        timestamptz;
update referral set updated_at = created_at;
alter table referral alter column updated_at set not null;
-- a receiver's worklist and its capacity count; a referrer's sent list
create index referral_recipient_status on referral (recipient_org, status);
create index referral_requester on referral (requester_org, created_at);

-- Every move of a referral: created, a status change, or a redirect (with its handover note); the history a
-- receiver, a referrer and an auditor read, and the trail a routing loop is detected on.
create table referral_history (
  referral_id    text not null references referral (id),
  seq            integer not null,
  kind           text not null,
  from_status    text,
  to_status      text not null,
  from_recipient text,
  to_recipient   text not null,
  to_service     text,
  reason         text,
  loop_detected  boolean not null default false,
  by_user        text not null,
  by_org         text,
  at             timestamptz not null,
  primary key (referral_id, seq)
);
insert into referral_history (referral_id, seq, kind, to_status, to_recipient, by_user, by_org, at)
  select id, 1, 'created', 'requested', recipient_org, 'unknown', requester_org, created_at from referral;

-- The care coordinator of each care team (PractitionerRole reference), newest version only.
create table care_team (
  care_team_id text primary key,
  person_id    text not null,
  version      integer not null,
  active       boolean not null,
  coordinator  text
);
create index care_team_person on care_team (person_id) where active;
