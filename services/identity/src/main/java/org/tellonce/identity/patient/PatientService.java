package org.tellonce.identity.patient;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.tellonce.identity.IdentityTopics;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.outbox.Outbox;
import org.tellonce.platform.persistence.Constraints;
import org.tellonce.platform.security.Actor;

/** Registers and reads people in the index. */
@ApplicationScoped
public class PatientService {

  private static final String DUPLICATE = "A person with this NHS number is already registered; search for them instead";

  @Inject PersonRepository persons;
  @Inject Outbox outbox;

  public Uni<Patient> register(Patient patient, Actor actor) {
    String nhsNumber = validate(patient);
    return Panache.withTransaction(() -> store(patient, nhsNumber, actor))
        .onFailure(Constraints::isUniqueViolation)
        .transform(e -> FhirException.conflict(DUPLICATE));
  }

  private Uni<Patient> store(Patient patient, String nhsNumber, Actor actor) {
    Uni<Void> unique = nhsNumber == null
        ? Uni.createFrom().voidItem()
        : persons.nhsNumberTaken(nhsNumber).invoke(taken -> {
          if (taken) {
            throw FhirException.conflict(DUPLICATE);
          }
        }).replaceWithVoid();
    return unique.chain(() -> {
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      String id = UUID.randomUUID().toString();
      patient.setId(id);
      patient.getMeta().setVersionId("1").setLastUpdated(Date.from(now.toInstant()));
      PersonEntity person = new PersonEntity();
      person.id = id;
      person.version = 1;
      person.nhsNumber = nhsNumber;
      person.resource = Fhir.encode(patient);
      person.recordedBy = actor.organization();
      person.createdAt = now;
      person.updatedAt = now;
      return persons.persist(person)
          .chain(() -> outbox.publish(IdentityTopics.PERSON, id, IdentityTopics.PERSON_REGISTERED, id, Map.of(
              "personId", id,
              "version", 1,
              "identifiers", patient.getIdentifier().stream()
                  .map(i -> Map.of("system", i.getSystem(), "value", i.getValue()))
                  .toList(),
              "recordedBy", actor.organization() == null ? actor.username() : actor.organization())))
          .replaceWith(patient);
    });
  }

  @WithSession
  public Uni<Patient> read(String id) {
    return persons.findById(id).map(person -> {
      if (person == null) {
        throw FhirException.notFound("Patient", id);
      }
      return Fhir.parse(Patient.class, person.resource);
    });
  }

  /** Checks what the index relies on; answers the NHS number, or null when the person has none. */
  static String validate(Patient patient) {
    if (!patient.hasIdentifier() && !patient.hasName()) {
      throw FhirException.unprocessable("A Patient needs at least one identifier or a name to be registered");
    }
    for (Identifier identifier : patient.getIdentifier()) {
      if (!identifier.hasSystem() || !identifier.hasValue()) {
        throw FhirException.unprocessable("Every Patient.identifier needs a system and a value");
      }
    }
    List<Identifier> nhs = patient.getIdentifier().stream()
        .filter(i -> NhsNumber.SYSTEM.equals(i.getSystem()))
        .toList();
    if (nhs.size() > 1) {
      throw FhirException.unprocessable("A Patient can have only one NHS number");
    }
    if (patient.hasBirthDate() && patient.getBirthDate().after(new Date())) {
      throw FhirException.unprocessable("Patient.birthDate is in the future");
    }
    if (nhs.isEmpty()) {
      return null;
    }
    String problem = NhsNumber.problem(nhs.get(0).getValue());
    if (problem != null) {
      throw FhirException.unprocessable(problem);
    }
    return nhs.get(0).getValue();
  }
}
