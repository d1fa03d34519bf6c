-- Every version of every resource (vread, _history); the current one is also in record_resource.
create table record_version (
  resource_type  text not null,
  id             text not null,
  version        integer not null,
  person_id      text not null,
  source_org     text,
  labels         text not null,
  resource       text not null,
  recorded_by    text,
  deleted        boolean not null,
  recorded_at    timestamptz not null,
  primary key (resource_type, id, version)
);
insert into record_version (resource_type, id, version, person_id, source_org, labels, resource, recorded_by, deleted,
                            recorded_at)
select resource_type, id, version, person_id, source_org, labels, resource, recorded_by, deleted, updated_at
from record_resource;

-- Labels are kept sorted, so a (type, labels) pair names one class of data the consent service decides on.
update record_resource
set labels = coalesce(array_to_string(array(select distinct l from unnest(string_to_array(labels, ',')) l
                                             where l <> '' order by l), ','), '');

-- The clinical date of the resource (its 'date' search parameter's start), for _sort=date; the conditional-create
-- identifier scope (the source organisation) is source_org.
alter table record_resource add column date_low timestamptz;

-- Search index: one row per value of a supported search parameter. Tokens fill system/code, dates low/high (the
-- instant range the value covers), references code with Type/id.
create sequence record_index_seq increment by 50;
create table record_index (
  entry          bigint primary key,
  resource_type  text not null,
  id             text not null,
  param          text not null,
  system         text,
  code           text,
  low            timestamptz,
  high           timestamptz
);
create index record_index_resource on record_index (resource_type, id, param);
create index record_index_value on record_index (param, code);
create index record_resource_person_updated on record_resource (person_id, resource_type, updated_at desc, id)
  where not deleted;
