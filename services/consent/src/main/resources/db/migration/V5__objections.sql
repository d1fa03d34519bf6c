-- Objections to sharing for direct care (a Consent with a deny provision that can apply to direct care) are reviewed:
-- upheld or overridden by a senior clinician or privacy officer with a documented reason. A review binds the version
-- of the Consent it reviewed; a changed objection is pending again. The National Data Opt-out is kept apart.
alter table consent_record add column objection boolean not null default false;
alter table consent_record add column national_opt_out boolean not null default false;
create index consent_record_objection on consent_record (updated_at) where objection and status = 'active';

create table objection_review (
  id                     text primary key,
  consent_id             text not null references consent_record (id),
  consent_version        integer not null,
  outcome                text not null check (outcome in ('upheld', 'overridden')),
  reason                 text not null,
  reviewer               text not null,
  reviewer_organization  text not null,
  reviewer_role          text not null,
  reviewed_at            timestamptz not null
);
create index objection_review_consent on objection_review (consent_id, reviewed_at desc);
