-- A referral: the FHIR ServiceRequest (what is asked, for whom) and the Task that carries its workflow state.
create table referral (
  id                 text primary key,
  person_id          text not null,
  requester_org      text not null,
  recipient_org      text not null,
  routing_rule       text not null,
  version            integer not null,
  service_request    text not null,
  created_at         timestamptz not null
);
create index referral_person on referral (person_id);

create table referral_task (
  id           text primary key,
  referral_id  text not null references referral (id),
  status       text not null,
  version      integer not null,
  resource     text not null,
  updated_at   timestamptz not null
);
create index referral_task_referral on referral_task (referral_id);
