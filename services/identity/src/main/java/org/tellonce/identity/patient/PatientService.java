package org.tellonce.identity.patient;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.tellonce.identity.IdentityTopics;
import org.tellonce.identity.matching.MatchGrade;
import org.tellonce.identity.matching.PersonMatcher;
import org.tellonce.identity.matching.Reviews;
import org.tellonce.identity.patient.PersonIndex.SystemValue;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.Versioned;
import org.tellonce.platform.outbox.Outbox;
import org.tellonce.platform.persistence.Constraints;
import org.tellonce.platform.security.Actor;

/**
 * Registers, updates and reads people in the index. Registration runs matching first: an identifier already known, or
 * a certain match, links to the existing record (its new identifiers are added) instead of creating a duplicate; a
 * probable match creates the record and opens a review for a person to decide. Nobody is merged silently.
 */
@ApplicationScoped
public class PatientService {

  private static final String TAKEN = "An identifier of this Patient is already held by another person in the index;"
      + " search by it, or merge the two records with Patient/$merge";

  @Inject PersonRepository persons;
  @Inject PersonIndex index;
  @Inject PersonMatcher matcher;
  @Inject PatientRules rules;
  @Inject Reviews reviews;
  @Inject Outbox outbox;

  /** What registration did: created a record (perhaps with reviews opened) or linked to an existing one. */
  public record Registration(Patient patient, boolean created, List<String> reviewIds) {}

  public Uni<Registration> register(Patient patient, Actor actor) {
    Demographics demographics = rules.check(patient);
    List<SystemValue> identifiers = identifiers(patient);
    return index.owners(identifiers)
        .chain(owners -> currentOwners(owners.values()))
        .chain(owners -> {
          if (owners.size() > 1) {
            throw FhirException.conflict("The identifiers of this Patient belong to different people in the index ("
                + String.join(", ", owners.stream().map(o -> "Patient/" + o).toList())
                + "); merge them with Patient/$merge before adding more");
          }
          if (owners.size() == 1) {
            return link(owners.iterator().next(), patient, demographics, identifiers, actor);
          }
          return matcher.match(demographics).chain(candidates -> {
            List<PersonMatcher.Candidate> certain = candidates.stream()
                .filter(c -> c.grade() == MatchGrade.CERTAIN).toList();
            if (certain.size() == 1) {
              return link(certain.get(0).personId(), patient, demographics, identifiers, actor);
            }
            // Two certain candidates are themselves probably duplicates: a person decides, the index does not guess.
            List<PersonMatcher.Candidate> doubtful = candidates.stream()
                .filter(c -> c.grade() == MatchGrade.CERTAIN || c.grade() == MatchGrade.PROBABLE)
                .limit(Reviews.MAX_PER_REGISTRATION)
                .toList();
            return create(patient, demographics, identifiers, actor, doubtful);
          });
        })
        .onFailure(Constraints::isUniqueViolation)
        .transform(e -> FhirException.conflict(TAKEN));
  }

  private Uni<Set<String>> currentOwners(java.util.Collection<String> owners) {
    Set<String> distinct = new LinkedHashSet<>(owners);
    if (distinct.isEmpty()) {
      return Uni.createFrom().item(Set.of());
    }
    List<Uni<String>> currents = distinct.stream().map(index::current).toList();
    return Uni.join().all(currents).andFailFast().map(LinkedHashSet::new);
  }

  private Uni<Registration> create(Patient patient, Demographics demographics, List<SystemValue> identifiers,
      Actor actor, List<PersonMatcher.Candidate> doubtful) {
    return Panache.withTransaction(() -> {
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      String id = UUID.randomUUID().toString();
      PersonEntity person = new PersonEntity();
      person.id = id;
      person.active = true;
      person.setDemographics(demographics);
      person.recordedBy = actor.organization();
      person.createdAt = now;
      person.store(patient, 1, now);
      return persons.persistAndFlush(person)
          .chain(() -> persons.setIdentifiers(id, identifiers))
          .chain(() -> reviews.open(id, doubtful, actor))
          .call(() -> publish(IdentityTopics.PERSON_REGISTERED, person, identifiers, actor))
          .map(reviewIds -> new Registration(Disclosure.forActor(patient, person.restricted, person.recordedBy, actor),
              true, reviewIds));
    });
  }

  /** Adds the identifiers the existing record lacks; its demographics stay as recorded (they are the reference). */
  private Uni<Registration> link(String personId, Patient incoming, Demographics demographics,
      List<SystemValue> identifiers, Actor actor) {
    return Panache.withTransaction(() -> persons.findById(personId).chain(person -> {
      Patient stored = Fhir.parse(Patient.class, person.resource);
      Map<String, String> held = new LinkedHashMap<>();
      stored.getIdentifier().forEach(i -> held.put(i.getSystem(), i.getValue()));
      List<Identifier> added = new ArrayList<>();
      for (Identifier identifier : incoming.getIdentifier()) {
        String existing = held.get(identifier.getSystem());
        if (existing == null) {
          added.add(identifier);
        } else if (!existing.equals(identifier.getValue())) {
          throw FhirException.conflict("This Patient matches a person in the index who holds a different "
              + "identifier of the same system (" + identifier.getSystem() + "); check the identifiers, or"
              + " register them apart and let a person review it");
        }
      }
      if (added.isEmpty()) {
        return Uni.createFrom().item(new Registration(
            Disclosure.forActor(stored, person.restricted, person.recordedBy, actor), false, List.of()));
      }
      added.forEach(stored::addIdentifier);
      if (person.nhsNumber == null) {
        person.nhsNumber = demographics.nhsNumber();
      }
      person.store(stored, person.version + 1, OffsetDateTime.now(ZoneOffset.UTC));
      List<SystemValue> all = identifiers(stored);
      return persons.persistAndFlush(person)
          .chain(() -> persons.setIdentifiers(person.id, all))
          .chain(() -> publish(IdentityTopics.PERSON_UPDATED, person, all, actor))
          .map(x -> new Registration(Disclosure.forActor(stored, person.restricted, person.recordedBy, actor), false,
              List.of()));
    }));
  }

  /** Replaces a person's record (PUT); a merged record cannot change, and If-Match guards against lost updates. */
  public Uni<Patient> update(String id, Patient patient, Integer ifMatch, Actor actor) {
    if (patient.hasIdElement() && patient.getIdElement().hasIdPart() && !id.equals(patient.getIdElement().getIdPart())) {
      throw FhirException.badRequest("The Patient.id in the body does not match the id in the URL");
    }
    Demographics demographics = rules.check(patient);
    List<SystemValue> identifiers = identifiers(patient);
    return Panache.withTransaction(() -> persons.findById(id).chain(person -> {
      if (person == null) {
        throw FhirException.notFound("Patient", id);
      }
      if (person.replacedBy != null) {
        throw FhirException.conflict("Patient/" + id + " was merged into Patient/" + person.replacedBy
            + "; update that record instead");
      }
      Versioned.check(ifMatch, person.version, "Patient/" + id);
      if (person.restricted && !Disclosure.fullView(true, person.recordedBy, actor)) {
        throw FhirException.forbidden("This person is restricted: only the organisation that recorded them can change"
            + " their record");
      }
      person.setDemographics(demographics);
      person.store(patient, person.version + 1, OffsetDateTime.now(ZoneOffset.UTC));
      return persons.persistAndFlush(person)
          .chain(() -> persons.setIdentifiers(id, identifiers))
          .chain(() -> publish(IdentityTopics.PERSON_UPDATED, person, identifiers, actor))
          .map(x -> patient);
    })).onFailure(Constraints::isUniqueViolation).transform(e -> FhirException.conflict(TAKEN));
  }

  @WithSession
  public Uni<Patient> read(String id, Actor actor) {
    return persons.findById(id).map(person -> {
      if (person == null) {
        throw FhirException.notFound("Patient", id);
      }
      return Disclosure.forActor(Fhir.parse(Patient.class, person.resource), person.restricted, person.recordedBy,
          actor);
    });
  }

  Uni<Void> publish(String type, PersonEntity person, List<SystemValue> identifiers, Actor actor) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("personId", person.id);
    data.put("version", person.version);
    data.put("active", person.active);
    data.put("identifiers", identifiers.stream().map(i -> Map.of("system", i.system(), "value", i.value())).toList());
    data.put("restricted", person.restricted);
    data.put("birthDate", person.birthDate == null ? null : person.birthDate.toString());
    // where referrals for the person are routed: the outward code only, and never for a restricted person
    String district = person.restricted ? null : Demographics.postcodeDistrict(person.postcode);
    if (district != null) {
      data.put("postcodeDistrict", district);
    }
    data.put("recordedBy", person.recordedBy == null ? actor.username() : person.recordedBy);
    return outbox.publish(IdentityTopics.PERSON, person.id, type, person.id, data).replaceWithVoid();
  }

  static List<SystemValue> identifiers(Patient patient) {
    return patient.getIdentifier().stream().map(i -> new SystemValue(i.getSystem(), i.getValue())).toList();
  }
}
