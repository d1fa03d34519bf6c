-- A real person index: every identifier of a person (any system) in its own table, the demographics that search and
-- matching use as columns, phonetic blocking keys computed by PostgreSQL, the restricted flag, merges and reviews.
create extension if not exists fuzzystrmatch;

alter table person
  add column active       boolean not null default true,
  add column restricted   boolean not null default false,
  add column replaced_by  text references person (id),
  add column family       text,
  add column given        text,
  add column birth_date   date,
  add column gender       text,
  add column postcode     text;

-- Blocking keys: Double Metaphone of the family and first given name (IMMUTABLE, so a stored generated column).
alter table person
  add column family_key text generated always as (dmetaphone(family)) stored,
  add column given_key  text generated always as (dmetaphone(given)) stored;

update person p set
  family     = lower(p.resource::jsonb -> 'name' -> 0 ->> 'family'),
  given      = lower(p.resource::jsonb -> 'name' -> 0 -> 'given' ->> 0),
  birth_date = case when p.resource::jsonb ->> 'birthDate' ~ '^\d{4}-\d{2}-\d{2}$'
                    then (p.resource::jsonb ->> 'birthDate')::date end,
  gender     = p.resource::jsonb ->> 'gender',
  postcode   = upper(replace(p.resource::jsonb -> 'address' -> 0 ->> 'postalCode', ' ', ''));

-- Every identifier, from every system; a superseded one (after a merge) keeps resolving to its record.
create table person_identifier (
  system      text not null,
  value       text not null,
  person_id   text not null references person (id),
  primary key (system, value)
);
create index person_identifier_person on person_identifier (person_id);

insert into person_identifier (system, value, person_id)
  select i ->> 'system', i ->> 'value', p.id
  from person p, jsonb_array_elements(coalesce(p.resource::jsonb -> 'identifier', '[]'::jsonb)) i
  where i ->> 'system' is not null and i ->> 'value' is not null
  on conflict do nothing;

create index person_family on person (family text_pattern_ops);
create index person_given on person (given text_pattern_ops);
create index person_birth_date on person (birth_date);
create index person_postcode on person (postcode);
create index person_family_key_birth on person (family_key, birth_date);
create index person_name_keys on person (family_key, given_key);
create index person_replaced_by on person (replaced_by) where replaced_by is not null;

-- Possible duplicates found at registration, for a person to resolve: link (merge) or keep apart.
create table match_review (
  id            text primary key,
  person_id     text not null references person (id),
  candidate_id  text not null references person (id),
  score         numeric(6, 4) not null,
  grade         text not null,
  status        text not null,
  opened_by     text,
  opened_at     timestamptz not null,
  resolved_by   text,
  resolved_at   timestamptz,
  resolution_note text
);
create index match_review_open on match_review (opened_at) where status = 'open';

-- Every merge and unmerge, with who, why and when (the audit trail of the index).
create table person_merge (
  id              text primary key,
  source_id       text not null references person (id),
  target_id       text not null references person (id),
  reason          text not null,
  merged_by       text not null,
  merged_by_org   text,
  merged_at       timestamptz not null,
  unmerged_by     text,
  unmerged_at     timestamptz,
  unmerge_reason  text
);
create index person_merge_source on person_merge (source_id);
create index person_merge_target on person_merge (target_id);
