-- Data-sharing agreements: the ICS's lawful basis for direct care among partners. The agreement itself is kept as
-- JSON (parties, purposes, data classes, period); decisions read the active ones on every call.
create table sharing_agreement (
  id          text primary key,
  version     integer not null,
  status      text not null,
  body        text not null,
  updated_by  text not null,
  created_at  timestamptz not null,
  updated_at  timestamptz not null
);
create index sharing_agreement_status on sharing_agreement (status);
