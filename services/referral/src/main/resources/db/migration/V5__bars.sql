-- BaRS messages taken in, by the sender's X-Request-ID: a retry with the same id answers the first referral again.
create table bars_message (
  request_id         text primary key,
  requester_org      text not null,
  message_header_id  text not null,
  referral_id        text not null references referral (id),
  task_id            text not null,
  received_at        timestamptz not null
);

-- NHS numbers of the person index (from identity's person events), to find the person a BaRS message is about.
alter table person add column nhs_number text;
create index person_nhs_number on person (nhs_number) where nhs_number is not null;
