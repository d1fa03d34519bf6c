-- What routing knows from identity: the teams that receive referrals (HealthcareService, newest version of each, as
-- the event's JSON) and, per person, what routing may use: age (birth date), postcode district, and merges.
create table directory_service (
  id          text primary key,
  version     integer not null,
  data        text not null,
  updated_at  timestamptz not null
);

create table person (
  person_id          text primary key,
  version            integer not null,
  birth_date         date,
  postcode_district  text,
  merged_into        text,
  updated_at         timestamptz not null
);

-- how many open referrals each team holds (capacity)
create index referral_service_status on referral (recipient_service, status) where recipient_service is not null;
