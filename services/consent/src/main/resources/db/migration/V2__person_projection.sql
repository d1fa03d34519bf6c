-- What the consent service knows of the person index, from identity.person.v1: the restricted flag and who recorded
-- the person. Merges are kept in person_alias (a platform table).
create table person_status (
  person_id    text primary key,
  version      integer not null,
  restricted   boolean not null,
  recorded_by  text
);

