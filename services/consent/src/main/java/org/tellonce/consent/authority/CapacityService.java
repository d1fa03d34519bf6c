package org.tellonce.consent.authority;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.tellonce.consent.person.PersonProjection;
import org.tellonce.consent.revision.PersonRevisions;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.security.Actor;

/**
 * Capacity assessments for decisions about sharing the person's information.
 * Recording one raises the person's revision: consents given by an attorney, deputy, parent or in the person's best
 * interests bind only while the assessment that gave the authority stands.
 */
@ApplicationScoped
public class CapacityService {

  @Inject PersonProjection persons;
  @Inject PersonRevisions revisions;

  @WithTransaction
  public Uni<CapacityAssessment> record(String personId, boolean hasCapacity, LocalDate assessedOn, String assessment,
      String note, Actor actor) {
    if (assessedOn.isAfter(LocalDate.now(ZoneOffset.UTC))) {
      throw FhirException.unprocessable("assessed is in the future: record an assessment once it was made");
    }
    CapacityAssessment entity = new CapacityAssessment();
    entity.id = UUID.randomUUID().toString();
    entity.personId = personId;
    entity.decision = Authority.INFORMATION_SHARING;
    entity.hasCapacity = hasCapacity;
    entity.assessedOn = assessedOn;
    entity.assessment = assessment;
    entity.note = note;
    entity.recordedBy = actor.username();
    entity.recordedByOrg = actor.organization();
    entity.recordedAt = OffsetDateTime.now(ZoneOffset.UTC);
    return entity.<CapacityAssessment>persist()
        .chain(() -> persons.records(personId))
        .chain(records -> revisions.bump(records.get(0)))
        .replaceWith(entity);
  }

  /** The person's assessments, newest first. */
  @WithSession
  public Uni<List<CapacityAssessment>> forPerson(String personId) {
    return persons.records(personId).chain(records -> CapacityAssessment.<CapacityAssessment>find(
        "personId in ?1 order by assessedOn desc, recordedAt desc", records).list());
  }
}
