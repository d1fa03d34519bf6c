package org.tellonce.identity.careteam;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.hl7.fhir.r4.model.CareTeam;
import org.tellonce.identity.IdentityTopics;
import org.tellonce.identity.patient.PersonRepository;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.outbox.Outbox;

/** A person's care teams: every change is published on identity.careteam.v1 for the consent service. */
@ApplicationScoped
public class CareTeamService {

  @Inject CareTeamRepository teams;
  @Inject PersonRepository persons;
  @Inject Outbox outbox;

  @WithTransaction
  public Uni<CareTeam> create(CareTeam team) {
    CareTeamMembers members = CareTeamMembers.of(team);
    return requirePerson(members.personId()).chain(() -> {
      CareTeamEntity entity = new CareTeamEntity();
      entity.id = UUID.randomUUID().toString();
      entity.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
      return save(entity, 1, team, members);
    });
  }

  @WithTransaction
  public Uni<CareTeam> update(String id, CareTeam team) {
    if (team.hasIdElement() && team.getIdElement().hasIdPart() && !id.equals(team.getIdElement().getIdPart())) {
      throw FhirException.badRequest("The CareTeam.id in the body does not match the id in the URL");
    }
    CareTeamMembers members = CareTeamMembers.of(team);
    return teams.findById(id).chain(entity -> {
      if (entity == null) {
        throw FhirException.notFound("CareTeam", id);
      }
      if (!entity.personId.equals(members.personId())) {
        throw FhirException.unprocessable("A care team cannot move to another person: CareTeam.subject must stay the same");
      }
      return save(entity, entity.version + 1, team, members);
    });
  }

  @WithSession
  public Uni<CareTeam> read(String id) {
    return teams.findById(id).map(entity -> {
      if (entity == null) {
        throw FhirException.notFound("CareTeam", id);
      }
      return Fhir.parse(CareTeam.class, entity.resource);
    });
  }

  /** The person's care teams, optionally of one status, newest first. */
  @WithSession
  public Uni<java.util.List<CareTeam>> forPerson(String personId, String status) {
    return (status == null
        ? teams.find("personId = ?1 order by updatedAt desc", personId)
        : teams.find("personId = ?1 and status = ?2 order by updatedAt desc", personId, status))
        .list()
        .map(found -> found.stream().map(e -> Fhir.parse(CareTeam.class, e.resource)).toList());
  }

  /** Whether the person is in the index (a 404 for the summary of someone unknown). */
  @WithSession
  public Uni<Boolean> personExists(String personId) {
    return persons.findById(personId).map(p -> p != null);
  }

  private Uni<Void> requirePerson(String personId) {
    return persons.findById(personId).invoke(person -> {
      if (person == null) {
        throw FhirException.unprocessable("CareTeam.subject: Patient/" + personId + " is not registered in the person index");
      }
    }).replaceWithVoid();
  }

  private Uni<CareTeam> save(CareTeamEntity entity, int version, CareTeam team, CareTeamMembers members) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    team.setId(entity.id);
    team.getMeta().setVersionId(String.valueOf(version)).setLastUpdated(Date.from(now.toInstant()));
    entity.version = version;
    entity.personId = members.personId();
    entity.status = members.status();
    entity.resource = Fhir.encode(team);
    entity.updatedAt = now;
    return teams.persist(entity)
        .chain(() -> outbox.publish(IdentityTopics.CARE_TEAM, members.personId(), IdentityTopics.CARE_TEAM_CHANGED,
            members.personId(), changed(entity.id, version, members)))
        .replaceWith(team);
  }

  private static Map<String, Object> changed(String careTeamId, int version, CareTeamMembers members) {
    Map<String, Object> data = new java.util.LinkedHashMap<>();
    data.put("careTeamId", careTeamId);
    data.put("version", version);
    data.put("personId", members.personId());
    data.put("status", members.status());
    data.put("organizations", new TreeSet<>(members.organizations()));
    data.put("practitionerRoles", members.practitionerRoles());
    if (members.coordinator() != null) {
      data.put("coordinator", members.coordinator());
    }
    return data;
  }
}
