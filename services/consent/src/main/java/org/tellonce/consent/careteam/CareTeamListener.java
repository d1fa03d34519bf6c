package org.tellonce.consent.careteam;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.tellonce.consent.ConsentTopics;
import org.tellonce.platform.inbox.Inbox;

/**
 * Keeps the care-team projection current from identity.careteam.v1. Idempotent through the inbox; an event that
 * cannot be read fails and goes to the dead-letter topic with the reason.
 */
@ApplicationScoped
public class CareTeamListener {

  static final String CONSUMER = "consent.careteam-projection";

  @Inject Inbox inbox;
  @Inject CareTeamProjection projection;
  @Inject ObjectMapper mapper;

  @Incoming(ConsentTopics.CARE_TEAMS_CHANNEL)
  public Uni<Void> consume(ConsumerRecord<String, String> record) {
    String eventId = Inbox.eventId(record);
    if (eventId == null) {
      return Uni.createFrom().failure(new IllegalArgumentException("Event without a CloudEvents id (ce_id header)"));
    }
    CareTeamChanged event;
    try {
      event = mapper.readValue(record.value(), CareTeamChanged.class);
    } catch (Exception e) {
      return Uni.createFrom().failure(new IllegalArgumentException("Unreadable care-team event " + eventId, e));
    }
    if (event.careTeamId() == null || event.personId() == null || event.status() == null) {
      return Uni.createFrom().failure(new IllegalArgumentException("Care-team event " + eventId
          + " lacks careTeamId, personId or status"));
    }
    return Panache.withTransaction(() -> inbox.firstDelivery(CONSUMER, eventId)
        .chain(first -> first ? projection.apply(event).replaceWithVoid() : Uni.createFrom().voidItem()));
  }
}
