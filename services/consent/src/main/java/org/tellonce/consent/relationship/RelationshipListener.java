package org.tellonce.consent.relationship;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Function;
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
  @Inject ObjectMapper mapper;

  @Incoming(ConsentTopics.REFERRALS_CHANNEL)
  public Uni<Void> referral(ConsumerRecord<String, String> record) {
    return consume(record, REFERRALS, event -> event.referralId() != null && event.personId() != null
        && event.status() != null && event.recipientOrganization() != null
        && event.recipientOrganization().matches(ORGANIZATION), projection::referral);
  }

  @Incoming(ConsentTopics.RECORDS_CHANNEL)
  public Uni<Void> record(ConsumerRecord<String, String> record) {
    return consume(record, RECORDS, event -> event.resourceType() != null && event.id() != null
        && event.personId() != null && event.version() != null && event.sourceOrganization() != null
        && event.sourceOrganization().matches(ORGANIZATION)
        && (event.status() != null || !isEpisode(event.resourceType())), projection::record);
  }

  private static boolean isEpisode(String resourceType) {
    return "Encounter".equals(resourceType) || "EpisodeOfCare".equals(resourceType);
  }

  private Uni<Void> consume(ConsumerRecord<String, String> record, String consumer,
      java.util.function.Predicate<RelationshipEvent> complete, Function<RelationshipEvent, Uni<Void>> apply) {
    String eventId = Inbox.eventId(record);
    if (eventId == null) {
      return Uni.createFrom().failure(new IllegalArgumentException("Event without a CloudEvents id (ce_id header)"));
    }
    RelationshipEvent event;
    try {
      event = mapper.readValue(record.value(), RelationshipEvent.class);
    } catch (Exception e) {
      return Uni.createFrom().failure(new IllegalArgumentException("Unreadable event " + eventId, e));
    }
    if (!complete.test(event)) {
      return Uni.createFrom().failure(new IllegalArgumentException("Event " + eventId + " on " + record.topic()
          + " lacks the fields a relationship needs"));
    }
    return Panache.withTransaction(() -> inbox.firstDelivery(consumer, eventId)
        .chain(first -> first ? apply.apply(event) : Uni.createFrom().voidItem()));
  }
}
