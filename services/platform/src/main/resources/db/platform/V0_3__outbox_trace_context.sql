-- The W3C trace context of the request or event that wrote the outbox row, so the relay (which runs later, on its own)
-- publishes the event as part of that trace: CloudEvents distributed-tracing extension (ce_traceparent) and the
-- producer span's parent.
alter table outbox add column trace_parent text;
