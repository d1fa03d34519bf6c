-- Task.owner is a search parameter (owner=ODS-or-council-code; the MDT worklist GET /fhir/Task/$overdue finds an
-- organisation's actions by it): index the owner of the Tasks already held, as a token of the owner's identifier.
insert into record_index (entry, resource_type, id, param, system, code)
select nextval('record_index_seq'), r.resource_type, r.id, 'owner',
       nullif(r.resource::jsonb #>> '{owner,identifier,system}', ''), r.resource::jsonb #>> '{owner,identifier,value}'
from record_resource r
where r.resource_type = 'Task' and not r.deleted
  and coalesce(r.resource::jsonb #>> '{owner,identifier,value}', '') <> ''
  and not exists (select 1 from record_index i where i.resource_type = 'Task' and i.id = r.id and i.param = 'owner');
