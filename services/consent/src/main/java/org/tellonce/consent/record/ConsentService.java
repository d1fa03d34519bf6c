package org.tellonce.consent.record;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Consent;
import org.tellonce.consent.ConsentTopics;
import org.tellonce.consent.authority.Authority;
import org.tellonce.consent.decision.DecisionService;
import org.tellonce.consent.revision.PersonRevisions;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.outbox.Outbox;
import org.tellonce.platform.person.PersonAliases;
import org.tellonce.platform.security.Actor;

/**
 * Records, changes and withdraws Consents. Each change raises the person's revision and is published on consent.v1
 * in the same transaction: once the caller has the 2xx, every later decision sees it.
 */
@ApplicationScoped
public class ConsentService {

  @Inject ConsentRepository consents;
  @Inject ConsentVersionRepository versions;
  @Inject PersonRevisions revisions;
  @Inject Outbox outbox;
  @Inject PersonAliases aliases;
  @Inject DecisionService decisions;

  @WithTransaction
  public Uni<Consent> record(Consent consent, Actor actor) {
    ConsentReader.Checked checked = ConsentReader.validate(consent);
    return authority(consent, checked).chain(() -> {
      ConsentEntity entity = new ConsentEntity();
      entity.id = UUID.randomUUID().toString();
      entity.personId = checked.personId();
      return save(entity, 1, consent, checked, actor);
    });
  }

  /**
   * Checks who gave the Consent and with what authority, on what is known of the person now, and that every
   * organisation it names is known (422 otherwise).
   */
  private Uni<Authority.Checked> authority(Consent consent, ConsentReader.Checked checked) {
    String personId = checked.personId();
    return unknownOrganizations(checked.root().namedOrganizations()).chain(unknown -> {
      if (!unknown.isEmpty()) {
        throw FhirException.unprocessable("Consent.provision.actor names " + String.join(", ", unknown)
            + ", which no data-sharing agreement, care team or referral names: check the ODS or council code (a new"
            + " partner joins through a data-sharing agreement first)");
      }
      return decisions.facts(personId).map(facts -> Authority.check(consent, personId, facts));
    });
  }

  /** The organisations among these that tellonce does not know (no agreement, care team or relationship names). */
  private Uni<List<String>> unknownOrganizations(java.util.Set<String> organizations) {
    if (organizations.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return io.quarkus.hibernate.reactive.panache.Panache.getSession().chain(session -> session.createNativeQuery("""
            select organization from care_team_member where organization in (:organizations)
            union select organization from relationship where organization in (:organizations)
            union select party from sharing_agreement a,
              jsonb_array_elements_text(cast(a.body as jsonb) -> 'parties') as party
            where party in (:organizations)""", String.class)
        .setParameter("organizations", List.copyOf(organizations))
        .getResultList()
        .map(known -> organizations.stream().filter(o -> !known.contains(o)).sorted().toList()));
  }

  @WithTransaction
  public Uni<Consent> update(String id, Consent consent, Actor actor) {
    if (consent.hasIdElement() && consent.getIdElement().hasIdPart() && !id.equals(consent.getIdElement().getIdPart())) {
      throw FhirException.badRequest("The Consent.id in the body does not match the id in the URL");
    }
    ConsentReader.Checked checked = ConsentReader.validate(consent);
    return consents.findById(id).chain(entity -> {
      if (entity == null) {
        throw FhirException.notFound("Consent", id);
      }
      if (!entity.personId.equals(checked.personId())) {
        throw FhirException.unprocessable("A Consent cannot move to another person: Consent.patient must stay the same");
      }
      return authority(consent, checked).chain(() -> save(entity, entity.version + 1, consent, checked, actor));
    });
  }

  private Uni<Consent> save(ConsentEntity entity, int version, Consent consent, ConsentReader.Checked checked,
      Actor actor) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    consent.setId(entity.id);
    consent.getMeta().setVersionId(String.valueOf(version)).setLastUpdated(Date.from(now.toInstant()));
    String json = Fhir.encode(consent);
    entity.status = consent.getStatus().toCode();
    entity.version = version;
    entity.resource = json;
    entity.recordedBy = actor.organization();
    entity.updatedAt = now;
    entity.objection = checked.objection();
    entity.nationalOptOut = checked.nationalOptOut();
    ConsentVersionEntity history = new ConsentVersionEntity();
    history.consentId = entity.id;
    history.version = version;
    history.resource = json;
    history.recordedBy = actor.organization();
    history.recordedAt = now;
    return consents.persist(entity)
        .chain(() -> versions.persist(history))
        .chain(() -> changed(entity, entity.objection ? "pending" : null))
        .replaceWith(consent);
  }

  /**
   * Raises the revision of the person (the record the Consent's person stands for now, following merges) and tells
   * consent.v1, in the caller's transaction. {@code objection} is how an objection stands after the change, or null.
   */
  public Uni<Void> changed(ConsentEntity entity, String objection) {
    return aliases.records(entity.personId)
        .chain(records -> revisions.bump(records.get(0)))
        .chain(revision -> {
          Map<String, Object> data = new java.util.LinkedHashMap<>();
          data.put("personId", entity.personId);
          data.put("consentId", entity.id);
          data.put("version", entity.version);
          data.put("status", entity.status);
          data.put("revision", revision);
          if (objection != null) {
            data.put("objection", objection);
          }
          if (entity.nationalOptOut) {
            data.put("nationalOptOut", true);
          }
          return outbox.publish(ConsentTopics.CONSENT, entity.personId, ConsentTopics.CONSENT_CHANGED,
              entity.personId, data);
        })
        .replaceWithVoid();
  }

  @WithSession
  public Uni<Consent> read(String id) {
    return consents.findById(id).map(entity -> {
      if (entity == null) {
        throw FhirException.notFound("Consent", id);
      }
      return Fhir.parse(Consent.class, entity.resource);
    });
  }

  @WithSession
  public Uni<Consent> readVersion(String id, int version) {
    return versions.version(id, version).map(entity -> {
      if (entity == null) {
        throw FhirException.notFound("Consent", id + "/_history/" + version);
      }
      return Fhir.parse(Consent.class, entity.resource);
    });
  }

  @WithSession
  public Uni<List<Consent>> history(String id) {
    return versions.history(id).map(list -> {
      if (list.isEmpty()) {
        throw FhirException.notFound("Consent", id);
      }
      return list.stream().map(v -> Fhir.parse(Consent.class, v.resource)).toList();
    });
  }

  /**
   * Consents by person (every record of the person, following merges), status and the organisation they name as an
   * actor; a person or an organisation is required. Newest first, at most {@code limit}.
   */
  @WithSession
  public Uni<List<Consent>> search(String personId, List<String> statuses, String organization, int limit) {
    Uni<List<ConsentEntity>> found = personId != null
        ? aliases.records(personId).chain(records -> consents.forPersons(records))
        : consents.namingOrganization(organization, statuses, limit);
    return found.map(list -> list.stream()
        .filter(e -> statuses.isEmpty() || statuses.contains(e.status))
        .map(e -> Fhir.parse(Consent.class, e.resource))
        .filter(c -> organization == null
            || ConsentReader.policy(c.getIdPart(), c, null, null).root().namedOrganizations().contains(organization))
        .limit(limit)
        .toList());
  }
}
