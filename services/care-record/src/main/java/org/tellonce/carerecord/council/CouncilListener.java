package org.tellonce.carerecord.council;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Resource;
import org.tellonce.carerecord.record.RecordService;
import org.tellonce.carerecord.record.RecordTypes;
import org.tellonce.carerecord.validation.RecordValidator;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.inbox.Inbox;
import org.tellonce.platform.security.Actor;

/**
 * Takes council case-management events from {@code council.inbound.v1} into the shared record. Each is mapped to FHIR
 * ({@link CouncilEvents}), validated like any write, and stored as the council's own record: a resource with the same
 * council identifier is updated, so a replay or a later event about the same thing changes it rather than adding one.
 * Idempotent by event id (the inbox); in order per person (the record key is the person id); an event that cannot be
 * taken in goes to the dead-letter topic with the reason, and nothing is dropped.
 */
@ApplicationScoped
public class CouncilListener {

  static final String CONSUMER = "care-record.council-inbound";
  static final String ORGANIZATION = "[A-Za-z0-9]{3,12}";
  static final String PERSON = "[A-Za-z0-9\\-.]{1,64}";

  @Inject Inbox inbox;
  @Inject ObjectMapper mapper;
  @Inject RecordService records;
  @Inject RecordValidator validator;

  @Incoming("council")
  public Uni<Void> consume(ConsumerRecord<String, String> record) {
    String eventId = Inbox.eventId(record);
    String type = Inbox.eventType(record);
    String organization = Inbox.header(record, "ce_source");
    if (eventId == null || type == null) {
      return reject("An event needs the CloudEvents ce_id and ce_type headers");
    }
    if (!CouncilEvents.TYPES.contains(type)) {
      return reject("Unknown event type " + type + "; see contracts/council-inbound.md");
    }
    if (organization == null || !organization.matches(ORGANIZATION)) {
      return reject("ce_source must be the council's organisation code (3 to 12 letters and digits)");
    }
    String personId = record.key();
    if (personId == null || !personId.matches(PERSON)) {
      return reject("The record key must be the person's tellonce id");
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
      return reject(e.getMessage());
    } catch (Exception e) {
      return reject(e instanceof IllegalArgumentException ? e.getMessage()
          : "Unreadable event data (" + e.getClass().getSimpleName() + ")");
    }
    Actor council = new Actor("council-inbound", "council-inbound:" + organization.toUpperCase(),
        organization.toUpperCase(), Set.of(Actor.ROLE_SERVICE), null);
    // A resource a partner sent is validated like any write; one the mapping built is valid by construction
    // (CouncilEventsTest validates every mapping), and validation is the costliest step of ingestion.
    Uni<Void> validated = CouncilEvents.FHIR.equals(type) ? validator.validate(resource) : Uni.createFrom().voidItem();
    return validated
        .chain(() -> Panache.withTransaction(() -> inbox.firstDelivery(CONSUMER, eventId)
            .chain(first -> first ? store(resource, council) : Uni.createFrom().voidItem())))
        .onFailure(FhirException.class).transform(e -> new IllegalArgumentException(e.getMessage()));
  }

  /** Creates the resource, or updates the one the council recorded with the same identifier. */
  private Uni<Void> store(Resource resource, Actor council) {
    var identifiers = resource.getNamedProperty("identifier");
    Identifier identifier = identifiers == null ? null : identifiers.getValues().stream()
        .filter(Identifier.class::isInstance).map(Identifier.class::cast)
        .filter(Identifier::hasValue).findFirst().orElse(null);
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

  private static Uni<Void> reject(String reason) {
    return Uni.createFrom().failure(new IllegalArgumentException(reason));
  }
}
