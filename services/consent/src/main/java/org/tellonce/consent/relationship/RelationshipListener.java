package org.tellonce.consent.relationship;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.tellonce.consent.ConsentTopics;
import org.tellonce.platform.inbox.Inbox;

/**
 * Derives legitimate relationships from referral.v1 (referrals and their Task status) and record.v1 (encounters and
 * social-care cases in the shared record). Idempotent through the inbox; an event that cannot be read goes to the
 * dead-letter topic with the reason.
 */
@ApplicationScoped
public class RelationshipListener {

  static final String REFERRALS = "consent.relationship.referrals";
  static final String RECORDS = "consent.relationship.records";
  static final String ORGANIZATION = "[A-Za-z0-9]{3,12}";

  @Inject Inbox inbox;
  @Inject RelationshipProjection projection;

  @Incoming(ConsentTopics.REFERRALS_CHANNEL)
  public Uni<Void> referral(ConsumerRecord<String, String> record) {
    return inbox.applyOnce(record, REFERRALS, RelationshipEvent.class, event -> {
      RelationshipEvent e = event.data();
      return e.referralId() != null && e.personId() != null && e.status() != null
          && e.recipientOrganization() != null && e.recipientOrganization().matches(ORGANIZATION);
    }, event -> projection.referral(event.data()));
  }

  /** The record.v1 events that state a resource version; others on the topic (a safeguarding alert) are not ours. */
  static final java.util.Set<String> RESOURCE_EVENTS = java.util.Set.of("org.tellonce.record.created.v1",
      "org.tellonce.record.updated.v1", "org.tellonce.record.deleted.v1");

  /**
   * Only Encounters and EpisodeOfCare can open or end a relationship. The events of every other resource (most of the
   * topic: every Observation, Condition, Provenance written) are passed by once read, before any transaction or inbox
   * mark, as they can have no effect to apply once; one that names no resource type is refused with the reason.
   */
  @Incoming(ConsentTopics.RECORDS_CHANNEL)
  public Uni<Void> record(ConsumerRecord<String, String> record) {
    String type = Inbox.eventType(record);
    if (type != null && !RESOURCE_EVENTS.contains(type)) {
      return Uni.createFrom().voidItem();
    }
    return inbox.applyOnce(record, RECORDS, RelationshipEvent.class,
        event -> event.data().resourceType() == null || isEpisode(event.data().resourceType()),
        event -> {
          RelationshipEvent e = event.data();
          return e.resourceType() != null && e.id() != null && e.personId() != null && e.version() != null
              && e.sourceOrganization() != null && e.sourceOrganization().matches(ORGANIZATION) && e.status() != null;
        }, event -> projection.record(event.data()));
  }

  private static boolean isEpisode(String resourceType) {
    return "Encounter".equals(resourceType) || "EpisodeOfCare".equals(resourceType);
  }
}
