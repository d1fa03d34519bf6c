package org.tellonce.carerecord.council;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Resource;
import org.jboss.logging.Logger;
import org.tellonce.carerecord.record.RecordBatch;
import org.tellonce.carerecord.record.RecordService;
import org.tellonce.carerecord.record.RecordTypes;
import org.tellonce.carerecord.validation.RecordValidator;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.inbox.DeadLetters;
import org.tellonce.platform.inbox.DeadLetters.Refused;
import org.tellonce.platform.inbox.Inbox;
import org.tellonce.platform.resilience.Transient;
import org.tellonce.platform.security.Actor;

/**
 * Takes council case-management events from {@code council.inbound.v1} into the shared record, a poll's batch at a
 * time. Each is mapped to FHIR ({@link CouncilEvents}), validated like any write, and stored as the council's own
 * record: a resource with the same council identifier is updated, so a replay or a later event about the same thing
 * changes it rather than adding one. Idempotent by event id (the inbox); in order per person (the record key is the
 * person id, and a batch is written in its order); an event that cannot be taken in goes to the dead-letter topic with
 * the reason, and nothing is dropped.
 *
 * <p>Resources that need none of the record's cross-resource rules are written together ({@link RecordBatch}: one
 * transaction and a handful of statements for the run); the others one by one through {@link RecordService}, in their
 * place in the batch. A failure that may pass (the database unreachable or restarting, a serialisation conflict) holds
 * the batch and tries it again, with back-off, until it passes: the events wait in Kafka, uncommitted, rather than
 * being dead-lettered for a fault of ours.
 */
@ApplicationScoped
public class CouncilListener {

  private static final Logger LOG = Logger.getLogger(CouncilListener.class);

  static final String CONSUMER = "care-record.council-inbound";
  static final String ORGANIZATION = "[A-Za-z0-9]{3,12}";
  static final String PERSON = "[A-Za-z0-9\\-.]{1,64}";

  @Inject Inbox inbox;
  @Inject ObjectMapper mapper;
  @Inject RecordService records;
  @Inject RecordBatch batches;
  @Inject RecordValidator validator;
  @Inject MeterRegistry registry;

  @Inject
  @Channel("council-dead-letters")
  MutinyEmitter<String> deadLetters;

  @ConfigProperty(name = "tellonce.kafka.topic-prefix")
  String topicPrefix;

  /** An event taken in: its record, id, type and the resource it states, by the council. */
  record Accepted(ConsumerRecord<String, String> record, String eventId, String type, Resource resource, Actor council) {}

  @Incoming("council")
  public Uni<Void> consume(ConsumerRecords<String, String> records) {
    return Transient.untilPasses("A batch of " + records.count() + " council events", () -> take(records));
  }

  private Uni<Void> take(ConsumerRecords<String, String> records) {
    List<Accepted> accepted = new ArrayList<>();
    List<Refused> refused = new ArrayList<>();
    for (ConsumerRecord<String, String> record : records) {
      try {
        accepted.add(accept(record));
      } catch (IllegalArgumentException e) {
        refused.add(new Refused(record, e.getMessage()));
      }
    }
    return validate(accepted, refused)
        .chain(valid -> store(valid, refused))
        .chain(() -> deadLetter(refused))
        .invoke(() -> registry.counter("tellonce.council.events", "outcome", "taken")
            .increment(records.count() - refused.size()))
        .invoke(() -> registry.counter("tellonce.council.events", "outcome", "dead-lettered").increment(refused.size()));
  }

  /** Reads and maps one event; an IllegalArgumentException says why it cannot be taken in. */
  Accepted accept(ConsumerRecord<String, String> record) {
    String eventId = Inbox.eventId(record);
    String type = Inbox.eventType(record);
    String organization = Inbox.header(record, "ce_source");
    if (eventId == null || type == null) {
      throw new IllegalArgumentException("An event needs the CloudEvents ce_id and ce_type headers");
    }
    if (!CouncilEvents.TYPES.contains(type)) {
      throw new IllegalArgumentException("Unknown event type " + type + "; see contracts/council-inbound.md");
    }
    if (organization == null || !organization.matches(ORGANIZATION)) {
      throw new IllegalArgumentException("ce_source must be the council's organisation code (3 to 12 letters and"
          + " digits)");
    }
    String personId = record.key();
    if (personId == null || !personId.matches(PERSON)) {
      throw new IllegalArgumentException("The record key must be the person's tellonce id");
    }
    Resource resource;
    try {
      JsonNode data = mapper.readTree(record.value());
      if (data == null || !data.isObject()) {
        throw new IllegalArgumentException("The event data must be a JSON object");
      }
      resource = CouncilEvents.map(type, organization.toUpperCase(), personId, data);
      if (!RecordTypes.holds(resource.fhirType()) || RecordTypes.PROVENANCE.equals(resource.fhirType())) {
        throw new IllegalArgumentException("The shared record does not take " + resource.fhirType());
      }
      if (!personId.equals(RecordTypes.personId(resource))) {
        throw new IllegalArgumentException("The resource is about another person than the record key");
      }
    } catch (FhirException e) {
      throw new IllegalArgumentException(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalArgumentException("Unreadable event data (" + e.getClass().getSimpleName() + ")");
    }
    Actor council = new Actor("council-inbound", "council-inbound:" + organization.toUpperCase(),
        organization.toUpperCase(), Set.of(Actor.ROLE_SERVICE), null);
    return new Accepted(record, eventId, type, resource, council);
  }

  /**
   * A resource a partner sent is validated like any write; one the mapping built is valid by construction
   * (CouncilEventsTest validates every mapping), and validation is the costliest step of ingestion.
   */
  private Uni<List<Accepted>> validate(List<Accepted> accepted, List<Refused> refused) {
    List<Accepted> valid = new ArrayList<>();
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (Accepted event : accepted) {
      if (!CouncilEvents.FHIR.equals(event.type())) {
        chain = chain.invoke(() -> valid.add(event));
        continue;
      }
      chain = chain.chain(() -> validator.validate(event.resource())
          .invoke(() -> valid.add(event))
          // invalid: refused with the validator's reasons; the record unable to validate now (a fault that may
          // pass: its 503): the batch waits, as for every such fault
          .onFailure(e -> e instanceof FhirException && !Transient.mayPass(e)).recoverWithItem(e -> {
            refused.add(new Refused(event.record(), e.getMessage()));
            return null;
          }));
    }
    return chain.replaceWith(valid);
  }

  /** Writes the events in order: runs of those a batch can take together, the others one by one in their place. */
  private Uni<Void> store(List<Accepted> events, List<Refused> refused) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    List<Accepted> run = new ArrayList<>();
    for (Accepted event : events) {
      if (RecordBatch.takes(event.resource(), event.record().key())) {
        run.add(event);
        continue;
      }
      List<Accepted> before = List.copyOf(run);
      run.clear();
      chain = chain.chain(() -> storeRun(before, refused)).chain(() -> storeOne(event, refused));
    }
    List<Accepted> last = List.copyOf(run);
    return chain.chain(() -> storeRun(last, refused));
  }

  private Uni<Void> storeRun(List<Accepted> run, List<Refused> refused) {
    if (run.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Map<String, Accepted> byId = new LinkedHashMap<>();
    run.forEach(event -> byId.putIfAbsent(event.eventId(), event));
    return batches.store(CONSUMER, run.stream()
            .map(e -> new RecordBatch.Item(e.eventId(), e.resource(), e.council())).toList())
        .invoke(reasons -> reasons.forEach((eventId, reason) -> refused.add(new Refused(byId.get(eventId).record(),
            reason))))
        .replaceWithVoid()
        // Not a fault that may pass (those hold the whole batch): store the run one by one, which finds the event.
        .onFailure(e -> !Transient.mayPass(e)).recoverWithUni(e -> {
          LOG.warnf("A batch of %d council events could not be written together (%s); writing them one by one",
              run.size(), e.getClass().getSimpleName());
          Uni<Void> each = Uni.createFrom().voidItem();
          for (Accepted event : run) {
            each = each.chain(() -> storeOne(event, refused));
          }
          return each;
        });
  }

  /** One event in its own transaction; refused (dead-lettered) when it cannot be stored for a reason of its own. */
  private Uni<Void> storeOne(Accepted event, List<Refused> refused) {
    return Panache.withTransaction(() -> inbox.firstDelivery(CONSUMER, event.eventId())
            .chain(first -> first ? store(event.resource(), event.council()) : Uni.createFrom().voidItem()))
        .onFailure(e -> !Transient.mayPass(e)).recoverWithItem(e -> {
          refused.add(new Refused(event.record(), e instanceof FhirException || e instanceof IllegalArgumentException
              ? e.getMessage() : "The event could not be stored (" + e.getClass().getSimpleName() + ")"));
          return null;
        });
  }

  /** Creates the resource, or updates the one the council recorded with the same identifier. */
  private Uni<Void> store(Resource resource, Actor council) {
    Identifier identifier = RecordBatch.identifier(resource);
    if (identifier == null) {
      return records.create(resource, council, council.organization(), null).replaceWithVoid();
    }
    String ifNoneExist = "identifier=" + (identifier.hasSystem() ? identifier.getSystem() : "") + "|"
        + identifier.getValue();
    return records.create(resource, council, council.organization(), ifNoneExist).chain(written -> {
      if (written.created()) {
        return Uni.createFrom().voidItem();
      }
      resource.setId(written.entity().id);
      return records.update(resource, written.entity().version, null, council, council.organization())
          .replaceWithVoid();
    });
  }

  /** Sends the refused events to the dead-letter topic as they came, with the reason and where they came from. */
  private Uni<Void> deadLetter(List<Refused> refused) {
    return DeadLetters.send(deadLetters, topicPrefix + "council.inbound.v1.care-record.dlq", refused);
  }
}
