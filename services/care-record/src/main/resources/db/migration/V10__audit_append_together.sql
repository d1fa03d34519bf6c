-- Appends several entries to one audit hash chain in a single round trip: the accesses of concurrent reads of one
-- chain are written together (AuditService), under one lock and one commit. Takes the chain's lock (held until the
-- enclosing transaction ends: the statement's own when none is open, or a write's, so its entries commit with it),
-- reads the chain's last hash, chains the entries to it and to each other in the order given (SHA-256 of the previous
-- hash then the entry, as AuditService.hash and the verifier compute it), inserts them in that order, and queues each
-- one's audit.v1 event in the outbox (with previousHash and hash appended to the payload as written) and, where one is
-- given, the privacy officer's notification. Answers the last entry's hash. It replaces audit_append (one entry).
create function audit_append_all(
  p_lock bigint, p_chain smallint, p_id text[], p_recorded timestamptz[], p_person text[], p_user text[],
  p_org text[], p_action text[], p_outcome text[], p_purpose text[], p_revision bigint[], p_resource text[],
  p_trace text[], p_audit_event uuid[], p_audit_topic text, p_audit_type text, p_subject text[],
  p_audit_payload text[], p_notify_event uuid[], p_notify_topic text, p_notify_type text, p_notify_key text[],
  p_notify_payload text[])
returns text language plpgsql as $$
declare
  previous text;
  previous_hashes text[] := '{}';
  hashes text[] := '{}';
begin
  perform pg_advisory_xact_lock(p_lock);
  select hash into previous from audit_event where chain = p_chain order by position desc limit 1;
  previous := coalesce(previous, repeat('0', 64));
  for i in 1 .. coalesce(array_length(p_id, 1), 0) loop
    previous_hashes := previous_hashes || previous;
    previous := encode(sha256(convert_to(previous || p_resource[i], 'UTF8')), 'hex');
    hashes := hashes || previous;
  end loop;
  insert into audit_event (id, recorded_at, person_id, actor_user, actor_org, action, outcome, purpose, revision,
      resource, chain, previous_hash, hash)
    select e.id, e.recorded, e.person, e.actor, e.org, e.action, e.outcome, e.purpose, e.revision, e.resource,
      p_chain, e.previous_hash, e.hash
    from unnest(p_id, p_recorded, p_person, p_user, p_org, p_action, p_outcome, p_purpose, p_revision, p_resource,
        previous_hashes, hashes) with ordinality
      as e(id, recorded, person, actor, org, action, outcome, purpose, revision, resource, previous_hash, hash, n)
    order by e.n;
  insert into outbox (event_id, topic, event_key, type, subject, payload, occurred_at, trace_parent)
    select o.event_id, o.topic, o.event_key, o.type, o.subject, o.payload, o.occurred_at, o.trace_parent
    from (
      select a.n * 2 as n, a.event_id, p_audit_topic as topic, a.subject as event_key, p_audit_type as type,
        a.subject, left(a.payload, -1) || ',"previousHash":"' || a.previous_hash || '","hash":"' || a.hash || '"}'
          as payload, a.recorded as occurred_at, a.trace as trace_parent
      from unnest(p_audit_event, p_subject, p_audit_payload, previous_hashes, hashes, p_recorded, p_trace)
        with ordinality as a(event_id, subject, payload, previous_hash, hash, recorded, trace, n)
      union all
      select t.n * 2 + 1, t.event_id, p_notify_topic, t.event_key, p_notify_type, t.event_key, t.payload, t.recorded,
        t.trace
      from unnest(p_notify_event, p_notify_key, p_notify_payload, p_recorded, p_trace)
        with ordinality as t(event_id, event_key, payload, recorded, trace, n)
      where t.payload is not null) o
    order by o.n;
  return previous;
end
$$;

drop function audit_append(bigint, smallint, text, timestamptz, text, text, text, text, text, text, bigint, text, text,
  uuid, text, text, text, text, uuid, text, text, text, text);
