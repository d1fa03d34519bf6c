package org.tellonce.identity.merge;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Patient.LinkType;
import org.hl7.fhir.r4.model.Reference;
import org.tellonce.identity.IdentityTopics;
import org.tellonce.identity.matching.MatchReview;
import org.tellonce.identity.patient.Demographics;
import org.tellonce.identity.patient.Disclosure;
import org.tellonce.identity.patient.PersonEntity;
import org.tellonce.identity.patient.PersonRepository;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.outbox.Outbox;
import org.tellonce.platform.security.Actor;

/**
 * Merges two records of one person (source into target) and undoes a merge. The source stays, inactive, with a
 * {@code replaced-by} link, so its identifiers keep resolving; the target gains a {@code replaces} link. Each merge
 * is recorded with who, why and when, closes the reviews between the two, and is told on identity.person.v1 so every
 * service re-keys what it holds. A merge restricts the target if either record was restricted (fail closed).
 */
@ApplicationScoped
public class MergeService {

  static final int MAX_REASON = 1000;

  @Inject PersonRepository persons;
  @Inject Outbox outbox;

  public record Merged(Patient target, String mergeId) {}

  public Uni<Merged> merge(String sourceId, String targetId, String reason, Actor actor) {
    requireReason(reason);
    if (sourceId.equals(targetId)) {
      throw FhirException.unprocessable("A record cannot be merged into itself: source-patient and target-patient are"
          + " the same");
    }
    return Panache.withTransaction(() -> lockInOrder(sourceId, targetId).chain(pair -> {
      PersonEntity source = pair.get(sourceId);
      PersonEntity target = pair.get(targetId);
      if (source.replacedBy != null) {
        throw FhirException.conflict("Patient/" + sourceId + " was already merged into Patient/" + source.replacedBy);
      }
      if (target.replacedBy != null) {
        throw FhirException.conflict("Patient/" + targetId + " was itself merged into Patient/" + target.replacedBy
            + "; merge into the current record");
      }
      if (!source.active || !target.active) {
        throw FhirException.unprocessable("Only active records can be merged; Patient/"
            + (source.active ? targetId : sourceId) + " is inactive");
      }
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      Patient sourcePatient = Fhir.parse(Patient.class, source.resource);
      sourcePatient.setActive(false);
      sourcePatient.addLink().setType(LinkType.REPLACEDBY).setOther(new Reference("Patient/" + targetId));
      source.active = false;
      source.replacedBy = targetId;
      bump(source, sourcePatient, now);

      Patient targetPatient = Fhir.parse(Patient.class, target.resource);
      targetPatient.addLink().setType(LinkType.REPLACES).setOther(new Reference("Patient/" + sourceId));
      if (source.restricted && !target.restricted) {
        target.restricted = true;
        targetPatient.getMeta().addSecurity(new Coding(Demographics.CONFIDENTIALITY, Demographics.RESTRICTED,
            "restricted"));
      }
      bump(target, targetPatient, now);

      PersonMerge merge = new PersonMerge();
      merge.id = UUID.randomUUID().toString();
      merge.sourceId = sourceId;
      merge.targetId = targetId;
      merge.reason = reason.trim();
      merge.mergedBy = actor.username();
      merge.mergedByOrg = actor.organization();
      merge.mergedAt = now;
      return persons.persist(source)
          .chain(() -> persons.persist(target))
          .chain(merge::persist)
          .chain(() -> MatchReview.update("status = ?1, resolvedBy = ?2, resolvedAt = ?3, resolutionNote = ?4"
                  + " where status = ?5 and ((personId = ?6 and candidateId = ?7) or (personId = ?7 and candidateId = ?6))",
              MatchReview.LINKED, actor.username(), now, "merged", MatchReview.OPEN, sourceId, targetId))
          .chain(() -> event(IdentityTopics.PERSON_MERGED, merge, source, target, actor))
          .map(x -> new Merged(Disclosure.forActor(targetPatient, target.restricted, target.recordedBy, actor),
              merge.id));
    }));
  }

  /** Undoes the latest merge of this record: it becomes active again and the links between the two go. */
  public Uni<Patient> unmerge(String sourceId, String reason, Actor actor) {
    requireReason(reason);
    return Panache.withTransaction(() -> persons.findById(sourceId, LockModeType.PESSIMISTIC_WRITE).chain(source -> {
      if (source == null) {
        throw FhirException.notFound("Patient", sourceId);
      }
      if (source.replacedBy == null) {
        throw FhirException.conflict("Patient/" + sourceId + " is not merged into another record; nothing to undo");
      }
      String targetId = source.replacedBy;
      return persons.findById(targetId, LockModeType.PESSIMISTIC_WRITE).chain(target -> PersonMerge
          .<PersonMerge>find("sourceId = ?1 and targetId = ?2 and unmergedAt is null order by mergedAt desc",
              sourceId, targetId)
          .firstResult()
          .chain(merge -> {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            Patient sourcePatient = Fhir.parse(Patient.class, source.resource);
            sourcePatient.setActive(true);
            sourcePatient.getLink().removeIf(l -> l.getType() == LinkType.REPLACEDBY
                && ("Patient/" + targetId).equals(l.getOther().getReference()));
            source.active = true;
            source.replacedBy = null;
            bump(source, sourcePatient, now);
            Patient targetPatient = Fhir.parse(Patient.class, target.resource);
            targetPatient.getLink().removeIf(l -> l.getType() == LinkType.REPLACES
                && ("Patient/" + sourceId).equals(l.getOther().getReference()));
            bump(target, targetPatient, now);
            merge.unmergedBy = actor.username();
            merge.unmergedAt = now;
            merge.unmergeReason = reason.trim();
            return persons.persist(source)
                .chain(() -> persons.persist(target))
                .chain(() -> merge.persist())
                .chain(() -> event(IdentityTopics.PERSON_UNMERGED, merge, source, target, actor))
                .map(x -> Disclosure.forActor(sourcePatient, source.restricted, source.recordedBy, actor));
          }));
    }));
  }

  private Uni<Map<String, PersonEntity>> lockInOrder(String a, String b) {
    String first = a.compareTo(b) < 0 ? a : b;
    String second = first.equals(a) ? b : a;
    Map<String, PersonEntity> found = new LinkedHashMap<>();
    return persons.findById(first, LockModeType.PESSIMISTIC_WRITE)
        .invoke(p -> found.put(first, p))
        .chain(() -> persons.findById(second, LockModeType.PESSIMISTIC_WRITE))
        .invoke(p -> found.put(second, p))
        .map(x -> {
          for (String id : new String[] {a, b}) {
            if (found.get(id) == null) {
              throw FhirException.notFound("Patient", id);
            }
          }
          return found;
        });
  }

  private static void bump(PersonEntity person, Patient patient, OffsetDateTime now) {
    person.store(patient, person.version + 1, now);
  }

  private Uni<Void> event(String type, PersonMerge merge, PersonEntity source, PersonEntity target, Actor actor) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("mergeId", merge.id);
    data.put("sourceId", source.id);
    data.put("targetId", target.id);
    data.put("sourceVersion", source.version);
    data.put("targetVersion", target.version);
    data.put("by", actor.organization() == null ? actor.username() : actor.organization());
    return outbox.publish(IdentityTopics.PERSON, target.id, type, target.id, data).replaceWithVoid();
  }

  private static void requireReason(String reason) {
    if (reason == null || reason.isBlank()) {
      throw FhirException.unprocessable("A merge or unmerge needs a reason (parameter 'reason'): it is kept in the"
          + " audit trail");
    }
    if (reason.length() > MAX_REASON) {
      throw FhirException.unprocessable("The reason is longer than " + MAX_REASON + " characters");
    }
  }
}
