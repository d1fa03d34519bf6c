package org.tellonce.carerecord.record;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.tellonce.carerecord.CareRecordTopics;
import org.tellonce.carerecord.access.DataClass;
import org.tellonce.carerecord.search.IndexEntity;
import org.tellonce.carerecord.search.Indexer;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;
import org.tellonce.platform.outbox.Outbox;
import org.tellonce.platform.persistence.Constraints;
import org.tellonce.platform.persistence.SessionSql;
import org.tellonce.platform.person.PersonAliases;
import org.tellonce.platform.security.Actor;

/**
 * Stores resources of the shared record: every version kept, the search index and a Provenance written with each
 * change in one transaction, and a metadata-only event on record.v1. Reads here are ungated: only the resources of the
 * record package, which ask the consent service first, serve them.
 */
@ApplicationScoped
public class RecordService {

  public static final String SOURCE_ORGANIZATION_TAG = "https://tellonce.org/CodeSystem/source-organization";
  static final String DATA_OPERATION = "http://terminology.hl7.org/CodeSystem/v3-DataOperation";
  static final String PROVENANCE_AGENT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
  static final String USER_SYSTEM = "https://tellonce.org/Id/user";

  @Inject RecordRepository records;
  @Inject Outbox outbox;
  @Inject PersonAliases aliases;
  @Inject Pool pool;

  /** What a write stored: the current row, and whether it made a new resource (false: a conditional create matched). */
  public record Written(RecordEntity entity, boolean created) {}

  /**
   * Creates the resource; with {@code ifNoneExist} ({@code identifier=system|value}) only when the caller's
   * organisation holds no resource of the type with that identifier (then the one it holds is answered).
   */
  @WithTransaction
  public Uni<Written> create(Resource resource, Actor actor, String organization, String ifNoneExist) {
    return create(resource, actor, organization, ifNoneExist, null, Map.of());
  }

  /**
   * As {@link #create}, with the id given ({@code id}, for a transaction whose entries reference each other) and the
   * resources the same transaction creates ({@code created}: {@code Type/id} to person), which references may name.
   */
  @WithTransaction
  public Uni<Written> create(Resource resource, Actor actor, String organization, String ifNoneExist, String id,
      Map<String, String> created) {
    String type = resource.fhirType();
    RecordTypes.requireWritable(type);
    String personId = RecordTypes.personId(resource);
    List<String> labels = labels(resource);
    Uni<List<String>> existing = ifNoneExist == null
        ? Uni.createFrom().item(List.of())
        : matches(type, organization, ConditionalCreate.identifier(ifNoneExist));
    return existing.chain(ids -> {
      if (ids.size() > 1) {
        throw FhirException.preconditionFailed("If-None-Exist matches " + ids.size() + " " + type
            + " resources your organisation recorded; it must identify at most one");
      }
      if (ids.size() == 1) {
        return records.current(type, ids.get(0)).chain(found -> aliases.records(personId).map(persons -> {
          if (!persons.contains(found.personId)) {
            throw FhirException.preconditionFailed("If-None-Exist matches a " + type + " your organisation recorded"
                + " about another person; an identifier names one resource");
          }
          return new Written(found, false);
        }));
      }
      return sharedCarePlan(resource, null, labels, personId, null, organization, organization)
          .chain(() -> mdt(resource))
          .chain(() -> checkReferences(resource, personId, created)).chain(() -> {
        OffsetDateTime now = now();
        RecordEntity entity = new RecordEntity();
        entity.resourceType = type;
        entity.id = id == null ? UUID.randomUUID().toString() : id;
        entity.version = 1;
        entity.personId = personId;
        entity.sourceOrganization = organization;
        entity.createdAt = now;
        return write(entity, resource, labels, actor, organization, "CREATE", now, CareRecordTopics.RECORD_CREATED)
            .chain(() -> records.persist(entity))
            .map(saved -> new Written(saved, true));
      });
    });
  }

  /**
   * Stores a new version of a resource the caller has been allowed to see at version {@code seen}. A 412 when another
   * write got there first or If-Match names another version.
   */
  @WithTransaction
  public Uni<RecordEntity> update(Resource resource, int seen, Integer ifMatch, Actor actor, String organization) {
    String type = resource.fhirType();
    String id = resource.getIdElement().getIdPart();
    String personId = RecordTypes.personId(resource);
    List<String> labels = labels(resource);
    return records.current(type, id).chain(entity -> {
      if (entity == null) {
        throw FhirException.notFound(type, id);
      }
      org.tellonce.platform.fhir.Versioned.check(ifMatch, entity.version, type + "/" + id);
      if (entity.version != seen) {
        throw FhirException.preconditionFailed(type + "/" + id + " changed while your update was checked; read it"
            + " again and reapply your change");
      }
      if (!entity.personId.equals(personId)) {
        throw FhirException.unprocessable("A resource cannot be moved to another person: "
            + type + "." + RecordTypes.personElement(type) + " must stay as it is; record it anew for the right person");
      }
      Resource previous = SharedCarePlan.TYPE.equals(type) ? (Resource) Fhir.json().parseResource(entity.resource)
          : null;
      OffsetDateTime now = now();
      entity.version = entity.version + 1;
      return sharedCarePlan(resource, previous, labels, personId, id, organization, entity.sourceOrganization)
          .chain(() -> mdt(resource))
          .chain(() -> checkReferences(resource, personId, Map.of()))
          .chain(() -> write(entity, resource, labels, actor, organization, "UPDATE", now,
              CareRecordTopics.RECORD_UPDATED))
          .replaceWith(entity);
    }).onFailure(Constraints::isUniqueViolation).transform(e -> FhirException.preconditionFailed(
        type + "/" + id + " was changed by someone else at the same moment; read it again and reapply your change"));
  }

  /** Marks the resource deleted as a new version (its content stays in the history); already deleted: no change. */
  @WithTransaction
  public Uni<RecordEntity> delete(String type, String id, int seen, Actor actor, String organization) {
    return records.findById(new org.tellonce.platform.persistence.ResourceKey(type, id)).chain(entity -> {
      if (entity == null) {
        throw FhirException.notFound(type, id);
      }
      if (entity.deleted) {
        return Uni.createFrom().item(entity);
      }
      if (entity.version != seen) {
        throw FhirException.preconditionFailed(type + "/" + id + " changed while your delete was checked; try again");
      }
      OffsetDateTime now = now();
      entity.version = entity.version + 1;
      entity.deleted = true;
      Resource resource = (Resource) Fhir.json().parseResource(entity.resource);
      return write(entity, resource, entity.labelList(), actor, organization, "DELETE", now,
          CareRecordTopics.RECORD_DELETED).replaceWith(entity);
    }).onFailure(Constraints::isUniqueViolation).transform(e -> FhirException.preconditionFailed(
        type + "/" + id + " was changed by someone else at the same moment; try again"));
  }

  /**
   * MDT working ({@link MdtConventions}): a discussion (Encounter of class mdt) names its meeting, date, attendees and
   * chair; an action (a Task whose encounter is such a discussion) its owner and due date. In a transaction, entries
   * are written in order: put the discussion before its actions.
   */
  private Uni<Void> mdt(Resource resource) {
    if (resource instanceof Encounter encounter && MdtConventions.isMdt(encounter)) {
      MdtConventions.checkDiscussion(encounter);
      return Uni.createFrom().voidItem();
    }
    if (!(resource instanceof Task task) || MdtConventions.encounterId(task) == null) {
      return Uni.createFrom().voidItem();
    }
    return records.current("Encounter", MdtConventions.encounterId(task)).invoke(encounter -> {
      if (encounter != null && MdtConventions.isMdt((Encounter) Fhir.json().parseResource(encounter.resource))) {
        MdtConventions.checkAction(task);
      }
    }).replaceWithVoid();
  }

  /**
   * The shared care plan's rules ({@link SharedCarePlan}): no sensitivity labels, each activity stamped with its
   * contributor, and at most one open plan per person (and per merged record) — checked under a lock on the person,
   * so two organisations starting a plan at the same moment cannot both succeed. Other types pass.
   */
  private Uni<Void> sharedCarePlan(Resource resource, Resource previous, List<String> labels, String personId,
      String id, String organization, String recorder) {
    if (!(resource instanceof CarePlan plan)) {
      return Uni.createFrom().voidItem();
    }
    SharedCarePlan.requireNoSensitivityLabels(labels.stream().filter(l -> !"N".equals(l)).toList());
    SharedCarePlan.attribute(plan, (CarePlan) previous, organization, recorder == null ? organization : recorder);
    if (!SharedCarePlan.open(plan) || (previous != null && SharedCarePlan.open((CarePlan) previous))) {
      return Uni.createFrom().voidItem();
    }
    return aliases.records(personId).chain(persons -> Panache.getSession().chain(session -> SessionSql
        .rows(session, "select 1 from (select pg_advisory_xact_lock(hashtext($1))) lock", "care-plan|" + persons.get(0))
        .chain(() -> SessionSql.<String>first(session, """
                select r.id from record_resource r
                where r.resource_type = 'CarePlan' and r.person_id = any($1) and not r.deleted
                  and r.id <> $2 and exists (select 1 from record_index i where i.resource_type = 'CarePlan'
                    and i.id = r.id and i.param = 'status' and i.code in ('draft', 'active', 'on-hold'))
                limit 1""", persons.toArray(String[]::new), id == null ? "" : id))))
        .invoke(existing -> {
          if (existing != null) {
            throw FhirException.conflict("Patient/" + personId + " already has a shared care plan (CarePlan/"
                + existing + "): add your activities and goals to it (PUT with If-Match), or close it first");
          }
        }).replaceWithVoid();
  }

  /** Fills the row from the resource, and writes its version, index rows, Provenance and event. */
  private Uni<Void> write(RecordEntity entity, Resource resource, List<String> labels, Actor actor,
      String organization, String operation, OffsetDateTime now, String eventType) {
    resource.setId(entity.id);
    resource.getMeta().setVersionId(String.valueOf(entity.version)).setLastUpdated(Date.from(now.toInstant()));
    resource.getMeta().getTag().removeIf(tag -> SOURCE_ORGANIZATION_TAG.equals(tag.getSystem()));
    resource.getMeta().addTag(SOURCE_ORGANIZATION_TAG, entity.sourceOrganization, null);
    List<Indexer.Row> rows = entity.deleted ? List.of() : Indexer.rows(resource);
    Instant clinicalDate = Indexer.clinicalDate(resource, rows);
    entity.labels = DataClass.canonical(labels);
    entity.resource = Fhir.encode(resource);
    entity.recordedBy = actor.username();
    entity.updatedAt = now;
    entity.dateLow = clinicalDate == null ? null : clinicalDate.atOffset(ZoneOffset.UTC);
    Provenance provenance = provenance(entity, resource, actor, organization, operation, now);
    // A new resource has no index rows yet; a new version replaces those of the last.
    Uni<Long> replaced = entity.version == 1
        ? Uni.createFrom().item(0L)
        : IndexEntity.delete("resourceType = ?1 and id = ?2", entity.resourceType, entity.id);
    return replaced
        .chain(() -> index(entity, rows))
        .chain(() -> RecordVersionEntity.of(entity).persist())
        .chain(() -> storeProvenance(provenance, entity, now))
        .chain(() -> outbox.publish(CareRecordTopics.RECORD, entity.personId, eventType, entity.personId,
            event(entity, resource)))
        .chain(() -> raisesSafeguarding(entity, resource, operation)
            ? outbox.publish(CareRecordTopics.RECORD, entity.personId, CareRecordTopics.SAFEGUARDING_RAISED,
                entity.personId, safeguarding(entity, resource, organization)).replaceWithVoid()
            : Uni.createFrom().voidItem())
        .chain(() -> Panache.flush());
  }

  private Uni<Void> storeProvenance(Provenance provenance, RecordEntity target, OffsetDateTime now) {
    RecordEntity entity = provenanceRow(provenance, target, now);
    List<Indexer.Row> rows = Indexer.rows(provenance);
    return records.persist(entity)
        .chain(() -> index(entity, rows))
        .chain(() -> RecordVersionEntity.of(entity).persist())
        .replaceWithVoid();
  }

  /** The stored row of a version's Provenance: about the target's person, recorded and labelled as the target. */
  static RecordEntity provenanceRow(Provenance provenance, RecordEntity target, OffsetDateTime now) {
    RecordEntity entity = new RecordEntity();
    entity.resourceType = RecordTypes.PROVENANCE;
    entity.id = provenance.getIdElement().getIdPart();
    entity.version = 1;
    entity.personId = target.personId;
    entity.sourceOrganization = target.sourceOrganization;
    entity.labels = target.labels;
    entity.resource = Fhir.encode(provenance);
    entity.recordedBy = target.recordedBy;
    entity.deleted = false;
    entity.createdAt = now;
    entity.updatedAt = now;
    entity.dateLow = now;
    return entity;
  }

  private static Uni<Void> index(RecordEntity entity, List<Indexer.Row> rows) {
    return rows.isEmpty()
        ? Uni.createFrom().voidItem()
        : IndexEntity.persist(rows.stream().map(row -> IndexEntity.of(entity.resourceType, entity.id, row)));
  }

  /** Who changed what, when, for which organisation: a Provenance of the version, labelled as the resource is. */
  static Provenance provenance(RecordEntity target, Resource resource, Actor actor, String organization,
      String operation, OffsetDateTime now) {
    Provenance provenance = new Provenance();
    provenance.setId(UUID.randomUUID().toString());
    provenance.getMeta().setVersionId("1").setLastUpdated(Date.from(now.toInstant()));
    provenance.getMeta().addTag(SOURCE_ORGANIZATION_TAG, target.sourceOrganization, null);
    resource.getMeta().getSecurity().forEach(label -> provenance.getMeta().addSecurity(label.copy()));
    provenance.addTarget(new Reference(target.reference() + "/_history/" + target.version));
    provenance.setRecorded(Date.from(now.toInstant()));
    provenance.setActivity(new CodeableConcept(new Coding(DATA_OPERATION, operation, operation.toLowerCase())));
    provenance.addAgent()
        .setType(new CodeableConcept(new Coding(PROVENANCE_AGENT, "author", "Author")))
        .setWho(new Reference().setIdentifier(new Identifier().setSystem(USER_SYSTEM).setValue(actor.username()))
            .setDisplay(actor.username()))
        .setOnBehalfOf(References.organization(organization));
    return provenance;
  }

  static Map<String, Object> event(RecordEntity entity, Resource resource) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("resourceType", entity.resourceType);
    data.put("id", entity.id);
    data.put("version", entity.version);
    data.put("personId", entity.personId);
    data.put("sourceOrganization", entity.sourceOrganization);
    data.put("labels", entity.labelList());
    String status = status(resource);
    if (status != null) {
      data.put("status", status);
    }
    if (entity.deleted) {
      data.put("deleted", true);
    }
    return data;
  }

  /** The security label that marks safeguarding information; a Flag carrying it is a safeguarding concern. */
  static final String SAFEGUARDING = "safeguarding";

  /** A safeguarding concern raised: an active Flag labelled safeguarding, newly created. */
  static boolean raisesSafeguarding(RecordEntity entity, Resource resource, String operation) {
    return "CREATE".equals(operation) && "Flag".equals(entity.resourceType) && entity.labelList().contains(SAFEGUARDING)
        && "active".equals(status(resource));
  }

  /** What the escalation route needs to act: which flag, about whom, raised by which organisation; no content. */
  static Map<String, Object> safeguarding(RecordEntity entity, Resource resource, String organization) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("flagId", entity.id);
    data.put("personId", entity.personId);
    data.put("raisedBy", organization);
    data.put("raised", entity.updatedAt.toString());
    return data;
  }

  /** The distinct security label codes of the resource; a 422 for one that is not a short code. */
  static List<String> labels(Resource resource) {
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
    return labels;
  }

  /**
   * References stay within the person: a Patient reference anywhere must be the person the resource is about, and a
   * reference to another resource of the record must name one held about the same person.
   */
  private Uni<Void> checkReferences(Resource resource, String personId, Map<String, String> created) {
    Set<String> recordTargets = new LinkedHashSet<>();
    for (Reference reference : Fhir.context().newTerser()
        .getAllPopulatedChildElementsOfType(resource, Reference.class)) {
      String target = Indexer.localReference(reference.getReference());
      if (target == null) {
        continue;
      }
      String type = target.substring(0, target.indexOf('/'));
      if (type.equals("Patient") && !target.equals("Patient/" + personId)) {
        throw FhirException.unprocessable("A " + resource.fhirType() + " may reference only the person it is about;"
            + " it references another Patient");
      }
      if (RecordTypes.holds(type) && !created.containsKey(target)) {
        recordTargets.add(target);
      } else if (created.containsKey(target) && !created.get(target).equals(personId)) {
        throw FhirException.unprocessable("The reference to " + type + " names a resource of this transaction about"
            + " another person");
      }
    }
    if (recordTargets.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return aliases.records(personId).chain(ids -> records.personsOf(new ArrayList<>(recordTargets)).map(found -> {
      for (String target : recordTargets) {
        String owner = found.get(target);
        if (owner == null || !ids.contains(owner)) {
          throw FhirException.unprocessable("The reference to " + target.substring(0, target.indexOf('/'))
              + " names no resource held about this person");
        }
      }
      return null;
    })).replaceWithVoid();
  }

  /**
   * The advisory lock that serialises creates of one identifier (system null for none) by one organisation: taken by a
   * conditional create here and by {@link RecordBatch} for each identifier of a batch.
   */
  static long identifierLock(String type, String organization, String system, String value) {
    return (type + "|" + organization + "|" + system + "|" + value).hashCode();
  }

  /** Resources of the type the organisation recorded with the identifier, serialised per identifier by a lock. */
  private Uni<List<String>> matches(String type, String organization, ConditionalCreate.Identifier identifier) {
    long lock = identifierLock(type, organization, identifier.system(), identifier.value());
    return Panache.getSession().chain(session -> SessionSql
        .rows(session, "select 1 from (select pg_advisory_xact_lock($1)) lock", lock)
        .chain(() -> SessionSql.<String>column(session, """
                select r.id from record_resource r
                where r.resource_type = $1 and r.source_org = $2 and not r.deleted
                  and exists (select 1 from record_index i where i.resource_type = r.resource_type and i.id = r.id
                              and i.param = 'identifier' and i.code = $3
                              and (i.system = $4 or ($4 = '' and i.system is null)))
                order by r.id limit 3
                """, type, organization, identifier.value(),
            identifier.system() == null ? "" : identifier.system())));
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

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }

  public record PersonRecords(String currentPersonId, List<String> personIds) {}

  @WithSession
  public Uni<RecordEntity> find(String type, String id) {
    return records.findById(new org.tellonce.platform.persistence.ResourceKey(type, id));
  }

  /** A resource's current row (detached) and the record its person stands for now. */
  public record Found(RecordEntity entity, String currentPersonId) {}

  /**
   * The current row of a resource with the record its person stands for now, in one statement (a read's lookup and
   * its person's, which {@link #find} and {@link #currentPerson} take two for); null when there is no such resource.
   * On a pooled connection, outside any Hibernate session: a read by id opens none.
   */
  public Uni<Found> findWithPerson(String type, String id) {
    return pool.preparedQuery("select r.person_id, r.source_org, r.labels, r.resource, r.recorded_by, r.deleted,"
            + " r.version, r.created_at, r.updated_at, r.date_low, " + PersonAliases.currentOf("r.person_id")
            + " from record_resource r where r.resource_type = $1 and r.id = $2")
        .execute(Tuple.of(type, id))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          RecordEntity entity = new RecordEntity();
          entity.resourceType = type;
          entity.id = id;
          entity.personId = row.getString(0);
          entity.sourceOrganization = row.getString(1);
          entity.labels = row.getString(2);
          entity.resource = row.getString(3);
          entity.recordedBy = row.getString(4);
          entity.deleted = row.getBoolean(5);
          entity.version = row.getInteger(6);
          entity.createdAt = row.getOffsetDateTime(7);
          entity.updatedAt = row.getOffsetDateTime(8);
          entity.dateLow = row.getOffsetDateTime(9);
          return new Found(entity, row.getString(10));
        });
  }

  /** The record a person id stands for now (following merges); one statement. */
  @WithSession
  public Uni<String> currentPerson(String personId) {
    return aliases.current(personId);
  }

  /** Every record id of the person (current first, then those merged into it). */
  @WithSession
  public Uni<PersonRecords> person(String personId) {
    return aliases.records(personId).map(ids -> new PersonRecords(ids.get(0), ids));
  }
}
