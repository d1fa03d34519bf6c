-- One database per service (docs/operations.md); each service migrates its own at start.
CREATE DATABASE identity;
CREATE DATABASE consent;
CREATE DATABASE care_record;
CREATE DATABASE referral;
