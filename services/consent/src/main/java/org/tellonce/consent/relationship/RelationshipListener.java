package org.tellonce.consent.relationship;

import static org.tellonce.consent.relationship.RelationshipProjection.ofRecord;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.tellonce.consent.ConsentTopics;
import org.tellonce.consent.relationship.RelationshipProjection.Relationship;
import org.tellonce.platform.inbox.DeadLetters;
import org.tellonce.platform.inbox.DeadLetters.Refused;
import org.tellonce.platform.inbox.Inbox;
import org.tellonce.platform.resilience.Transient;

/**
 * Derives legitimate relationships from referral.v1 (referrals and their Task status) and record.v1 (encounters and
 * social-care cases in the shared record). Idempotent through the inbox; an event that cannot be read goes to the
 * dead-letter topic with the reason.
 */
@ApplicationScoped
public class RelationshipListener {

  private static final Logger LOG = Logger.getLogger(RelationshipListener.class);

  static final String REFERRALS = "consent.relationship.referrals";
  static final String RECORDS = "consent.relationship.records";
  static final String ORGANIZATION = "[A-Za-z0-9]{3,12}";

  @Inject Inbox inbox;
  @Inject RelationshipProjection projection;

  @Inject
  @Channel("record-dead-letters")
  MutinyEmitter<String> deadLetters;

  @ConfigProperty(name = "tellonce.kafka.topic-prefix")
  String topicPrefix;

  @Incoming(ConsentTopics.REFERRALS_CHANNEL)
  public Uni<Void> referral(ConsumerRecord<String, String> record) {
    return inbox.applyOnce(record, REFERRALS, RelationshipEvent.class, event -> {
      RelationshipEvent e = event.data();
      return e.referralId() != null && e.personId() != null && e.status() != null
          && e.recipientOrganization() != null && e.recipientOrganization().matches(ORGANIZATION);
    }, event -> projection.referral(event.data()));
  }

  /** The record.v1 events that state a resource version; others on the topic (a safeguarding alert) are not ours. */
  static final Set<String> RESOURCE_EVENTS = Set.of("org.tellonce.record.created.v1",
      "org.tellonce.record.updated.v1", "org.tellonce.record.deleted.v1");

  /** An event of an episode, read and complete, and the relationship it states. */
  record Episode(ConsumerRecord<String, String> record, String eventId, Relationship relationship) {}

  /**
   * A poll's batch of record.v1 at a time, in one transaction: the inbox marks, the relationships and the revisions of
   * the persons concerned, in a handful of statements (a council's ingestion puts hundreds of cases a second here).
   * Only Encounters and EpisodeOfCare can open or end a relationship: the events of every other resource (most of the
   * topic: every Observation, Condition, Provenance written) are passed by once read, with no inbox mark, as they can
   * have no effect to apply once. An event that cannot be read, or lacks a field, goes to the dead-letter topic with
   * the reason. A failure that may pass holds the batch and tries it again; one that does not (a defect, or an event
   * the database refuses) has the batch applied one event at a time, which finds the event to dead-letter.
   */
  @Incoming(ConsentTopics.RECORDS_CHANNEL)
  public Uni<Void> records(ConsumerRecords<String, String> records) {
    List<Episode> episodes = new ArrayList<>();
    List<Refused> refused = new ArrayList<>();
    for (ConsumerRecord<String, String> record : records) {
      String type = Inbox.eventType(record);
      if (type != null && !RESOURCE_EVENTS.contains(type)) {
        continue;
      }
      try {
        Inbox.Event<RelationshipEvent> event = inbox.read(record, RelationshipEvent.class);
        RelationshipEvent e = event.data();
        if (e.resourceType() != null && ofRecord(e) == null) {
          continue;
        }
        if (e.resourceType() == null || e.id() == null || e.personId() == null || e.version() == null
            || e.sourceOrganization() == null || !e.sourceOrganization().matches(ORGANIZATION) || e.status() == null) {
          throw Inbox.incomplete(record, event);
        }
        episodes.add(new Episode(record, event.id(), ofRecord(e)));
      } catch (IllegalArgumentException e) {
        refused.add(new Refused(record, e.getMessage()));
      }
    }
    List<Refused> failed = new ArrayList<>();
    return Transient.untilPasses("A batch of " + records.count() + " record events for relationships", () -> {
          failed.clear();
          return together(episodes).onFailure(e -> !Transient.mayPass(e)).recoverWithUni(e -> {
            LOG.warnf("A batch of %d episode events could not be applied together (%s); applying them one by one",
                episodes.size(), e.getClass().getSimpleName());
            return oneByOne(episodes, failed);
          });
        })
        .invoke(() -> refused.addAll(failed))
        .chain(() -> DeadLetters.send(deadLetters, topicPrefix + "record.v1.consent.dlq", refused));
  }

  private Uni<Void> together(List<Episode> episodes) {
    if (episodes.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return Panache.withTransaction(() -> inbox.firstDeliveries(RECORDS, episodes.stream().map(Episode::eventId)
            .toList())
        .chain(first -> projection.record(episodes.stream().filter(e -> first.remove(e.eventId()))
            .map(Episode::relationship).toList())));
  }

  private Uni<Void> oneByOne(List<Episode> episodes, List<Refused> refused) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (Episode episode : episodes) {
      chain = chain.chain(() -> together(List.of(episode)).onFailure(e -> !Transient.mayPass(e)).recoverWithItem(e -> {
        refused.add(new Refused(episode.record(), "The event could not be applied (" + e.getClass().getSimpleName()
            + ")"));
        return null;
      }));
    }
    return chain;
  }
}
