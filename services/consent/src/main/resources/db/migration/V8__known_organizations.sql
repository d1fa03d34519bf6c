-- A Consent may only name organisations tellonce knows: a party to a data-sharing agreement, or an organisation in a
-- care team or a derived relationship. These indexes answer "is this organisation known?" without a scan.
create index care_team_member_organization on care_team_member (organization);
create index relationship_organization on relationship (organization);
