-- Name blocking: both phonetic keys and the birth date in one index, so a common name (Smith, John) within a few
-- years is a short range scan; the family-key-only index is no longer used.
drop index if exists person_family_key_birth;
drop index if exists person_name_keys;
create index person_name_keys_birth on person (family_key, given_key, birth_date);
