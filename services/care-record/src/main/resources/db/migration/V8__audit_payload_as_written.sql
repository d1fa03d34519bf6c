-- audit_append keeps the audit.v1 payload as the service wrote it (compact, its keys in order) and appends previousHash
-- and hash as its last members, as entries written before V6 had them: a jsonb round trip reformatted it.
create or replace function audit_append(
  p_lock bigint, p_chain smallint, p_id text, p_recorded timestamptz, p_person text, p_user text, p_org text,
  p_action text, p_outcome text, p_purpose text, p_revision bigint, p_resource text,
  p_trace text, p_audit_event uuid, p_audit_topic text, p_audit_type text, p_subject text, p_audit_payload text,
  p_notify_event uuid, p_notify_topic text, p_notify_type text, p_notify_key text, p_notify_payload text)
returns text language plpgsql as $$
declare
  previous text;
  chained text;
begin
  perform pg_advisory_xact_lock(p_lock);
  select hash into previous from audit_event where chain = p_chain order by position desc limit 1;
  previous := coalesce(previous, repeat('0', 64));
  chained := encode(sha256(convert_to(previous || p_resource, 'UTF8')), 'hex');
  insert into audit_event (id, recorded_at, person_id, actor_user, actor_org, action, outcome, purpose, revision,
      resource, chain, previous_hash, hash)
    values (p_id, p_recorded, p_person, p_user, p_org, p_action, p_outcome, p_purpose, p_revision, p_resource,
      p_chain, previous, chained);
  insert into outbox (event_id, topic, event_key, type, subject, payload, occurred_at, trace_parent)
    values (p_audit_event, p_audit_topic, p_subject, p_audit_type, p_subject,
      left(p_audit_payload, -1) || ',"previousHash":"' || previous || '","hash":"' || chained || '"}',
      p_recorded, p_trace);
  if p_notify_payload is not null then
    insert into outbox (event_id, topic, event_key, type, subject, payload, occurred_at, trace_parent)
      values (p_notify_event, p_notify_topic, p_notify_key, p_notify_type, p_notify_key, p_notify_payload,
        p_recorded, p_trace);
  end if;
  return chained;
end
$$;
