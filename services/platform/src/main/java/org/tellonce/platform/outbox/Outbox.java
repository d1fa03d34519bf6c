package org.tellonce.platform.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.tellonce.platform.persistence.TimeOrderedIds;

/**
 * Records an event to publish. Call it inside the transaction that makes the state change (for example from a
 * {@code @WithTransaction} method): state and event commit together or not at all, and the relay publishes later.
 */
@ApplicationScoped
public class Outbox {

  @Inject ObjectMapper mapper;

  public Uni<OutboxEvent> publish(String topic, String key, String type, String subject, Object data) {
    OutboxEvent event = new OutboxEvent();
    event.eventId = TimeOrderedIds.next();
    event.topic = topic;
    event.key = key;
    event.type = type;
    event.subject = subject;
    event.occurredAt = OffsetDateTime.now(ZoneOffset.UTC);
    event.traceParent = TraceParents.current();
    try {
      event.payload = mapper.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      return Uni.createFrom().failure(new IllegalStateException("Event data of type " + type + " cannot be encoded", e));
    }
    return event.persist();
  }
}
