package org.tellonce.consent.person;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.tellonce.consent.ConsentTopics;
import org.tellonce.platform.inbox.Inbox;
import org.tellonce.platform.person.PersonAliases;

/**
 * Keeps the person projection current from identity.person.v1: restrictions, birth dates and merges. Idempotent
 * through the inbox; an event that cannot be read goes to the dead-letter topic with the reason.
 */
@ApplicationScoped
public class PersonListener {

  static final String CONSUMER = "consent.person-projection";

  @Inject Inbox inbox;
  @Inject PersonProjection projection;

  @Incoming(ConsentTopics.PERSONS_CHANNEL)
  public Uni<Void> consume(ConsumerRecord<String, String> record) {
    // merge events are checked where they are applied (PersonAliases.apply)
    return inbox.applyOnce(record, CONSUMER, PersonEvent.class,
        event -> PersonAliases.isMerge(event.type())
            || (event.data().personId() != null && event.data().version() != null),
        event -> projection.apply(event.type(), event.data()));
  }
}
