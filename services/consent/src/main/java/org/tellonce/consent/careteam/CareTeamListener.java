package org.tellonce.consent.careteam;

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

  @Incoming(ConsentTopics.CARE_TEAMS_CHANNEL)
  public Uni<Void> consume(ConsumerRecord<String, String> record) {
    return inbox.applyOnce(record, CONSUMER, CareTeamChanged.class,
        event -> event.data().careTeamId() != null && event.data().personId() != null
            && event.data().status() != null,
        event -> projection.apply(event.data()).replaceWithVoid());
  }
}
