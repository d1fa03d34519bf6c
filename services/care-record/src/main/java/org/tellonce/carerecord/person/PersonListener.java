package org.tellonce.carerecord.person;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.tellonce.platform.inbox.Inbox;
import org.tellonce.platform.resilience.Transient;
import org.tellonce.platform.person.PersonAliases;

/**
 * Follows merges and unmerges on identity.person.v1, so that what the record holds against a merged-away person id is
 * found under the person's current record. Idempotent through the inbox; unreadable events go to the dead-letter topic.
 */
@ApplicationScoped
public class PersonListener {

  static final String CONSUMER = "care-record.person-aliases";

  @Inject Inbox inbox;
  @Inject PersonAliases aliases;
  @Inject ObjectMapper mapper;

  @Incoming("persons")
  public Uni<Void> consume(ConsumerRecord<String, String> record) {
    String eventId = Inbox.eventId(record);
    String type = Inbox.eventType(record);
    if (eventId == null || type == null) {
      return Uni.createFrom().failure(new IllegalArgumentException("Event without CloudEvents id or type headers"));
    }
    if (!PersonAliases.isMerge(type)) {
      return Uni.createFrom().voidItem();
    }
    JsonNode event;
    try {
      event = mapper.readTree(record.value());
    } catch (Exception e) {
      return Uni.createFrom().failure(new IllegalArgumentException("Unreadable person event " + eventId, e));
    }
    String mergeId = event.path("mergeId").asText(null);
    String source = event.path("sourceId").asText(null);
    String target = event.path("targetId").asText(null);
    return Transient.untilPasses("Person event " + type, () -> Panache.withTransaction(
        () -> inbox.firstDelivery(CONSUMER, eventId).chain(first -> first
            ? aliases.apply(type, mergeId, source, target)
            : Uni.createFrom().voidItem())));
  }
}
