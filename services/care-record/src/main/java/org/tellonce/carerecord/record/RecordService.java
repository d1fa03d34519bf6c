package org.tellonce.carerecord.record;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Resource;
import org.tellonce.carerecord.CareRecordTopics;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.outbox.Outbox;
import org.tellonce.platform.person.PersonAliases;
import org.tellonce.platform.security.Actor;

/** Stores and loads resources of the shared record. Reads here are ungated: only RecordResource serves them. */
@ApplicationScoped
public class RecordService {

  public static final String SOURCE_ORGANIZATION_TAG = "https://tellonce.org/CodeSystem/source-organization";

  @Inject RecordRepository records;
  @Inject Outbox outbox;
  @Inject PersonAliases aliases;

  @WithTransaction
  public Uni<RecordEntity> create(Resource resource, Actor actor, String organization) {
    String type = resource.fhirType();
    RecordTypes.require(type);
    String personId = RecordTypes.personId(resource);
    List<String> labels = resource.getMeta().getSecurity().stream()
        .map(Coding::getCode)
        .filter(code -> code != null && !code.isBlank())
        .distinct()
        .toList();
    for (String label : labels) {
      if (!label.matches("[A-Za-z0-9\\-_.]{1,64}")) {
        throw FhirException.unprocessable("meta.security codes must be short codes such as R, PSY or SDV");
      }
    }
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    String id = UUID.randomUUID().toString();
    resource.setId(id);
    resource.getMeta().setVersionId("1").setLastUpdated(Date.from(now.toInstant()));
    resource.getMeta().getTag().removeIf(tag -> SOURCE_ORGANIZATION_TAG.equals(tag.getSystem()));
    resource.getMeta().addTag(SOURCE_ORGANIZATION_TAG, organization, null);

    RecordEntity entity = new RecordEntity();
    entity.resourceType = type;
    entity.id = id;
    entity.version = 1;
    entity.personId = personId;
    entity.sourceOrganization = organization;
    entity.labels = String.join(",", labels);
    entity.resource = Fhir.encode(resource);
    entity.recordedBy = actor.username();
    entity.deleted = false;
    entity.createdAt = now;
    entity.updatedAt = now;
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("resourceType", type);
    data.put("id", id);
    data.put("version", 1);
    data.put("personId", personId);
    data.put("sourceOrganization", organization);
    data.put("labels", labels);
    String status = status(resource);
    if (status != null) {
      data.put("status", status);
    }
    return records.persist(entity)
        .chain(() -> outbox.publish(CareRecordTopics.RECORD, personId, CareRecordTopics.RECORD_CREATED, personId, data))
        .replaceWith(entity);
  }

  /**
   * The resource's workflow status (for example an Encounter's in-progress or an EpisodeOfCare's active), which
   * consent turns into a legitimate relationship while open; null for a resource without one.
   */
  static String status(Resource resource) {
    org.hl7.fhir.r4.model.Property property = resource.getNamedProperty("status");
    if (property == null || !property.hasValues() || !property.getValues().get(0).isPrimitive()) {
      return null;
    }
    return property.getValues().get(0).primitiveValue();
  }

  public record PersonRecords(String currentPersonId, List<RecordEntity> records) {}

  @WithSession
  public Uni<RecordEntity> find(String type, String id) {
    return records.current(type, id);
  }

  /**
   * What is held of this type about the person: the records of the current person record and of every record merged
   * into it. Answers the current person id (the subject to ask decisions about) with them.
   */
  @WithSession
  public Uni<PersonRecords> forPerson(String type, String personId) {
    return aliases.records(personId).chain(ids -> records.forPerson(type, ids)
        .map(found -> new PersonRecords(ids.get(0), found)));
  }
}
