package org.tellonce.consent.person;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.tellonce.consent.ConsentTopics;
import org.tellonce.platform.inbox.Inbox;
import org.tellonce.platform.person.PersonAliases;

/**
 * Keeps the person projection current from identity.person.v1: restrictions and merges. Idempotent through the
 * inbox; an event that cannot be read goes to the dead-letter topic with the reason.
 */
@ApplicationScoped
public class PersonListener {

  static final String CONSUMER = "consent.person-projection";

  @Inject Inbox inbox;
  @Inject PersonProjection projection;
  @Inject ObjectMapper mapper;

  @Incoming(ConsentTopics.PERSONS_CHANNEL)
  public Uni<Void> consume(ConsumerRecord<String, String> record) {
    String eventId = Inbox.eventId(record);
    String type = Inbox.eventType(record);
    if (eventId == null || type == null) {
      return Uni.createFrom().failure(new IllegalArgumentException("Event without CloudEvents id or type headers"));
    }
    PersonEvent event;
    try {
      event = mapper.readValue(record.value(), PersonEvent.class);
    } catch (Exception e) {
      return Uni.createFrom().failure(new IllegalArgumentException("Unreadable person event " + eventId, e));
    }
    // merge events are checked where they are applied (PersonAliases.apply)
    if (!PersonAliases.isMerge(type) && (event.personId() == null || event.version() == null)) {
      return Uni.createFrom().failure(new IllegalArgumentException("Person event " + eventId + " (" + type
          + ") lacks the fields its type needs"));
    }
    return Panache.withTransaction(() -> inbox.firstDelivery(CONSUMER, eventId)
        .chain(first -> first ? projection.apply(type, event) : Uni.createFrom().voidItem()));
  }
}
