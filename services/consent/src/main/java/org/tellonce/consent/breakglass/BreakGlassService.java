package org.tellonce.consent.breakglass;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;
import org.tellonce.consent.ConsentTopics;
import org.tellonce.platform.decision.Purposes;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.outbox.Outbox;
import org.tellonce.platform.security.Actor;

/**
 * Emergency access. A clinician grants themselves time-limited access to one person for emergency treatment (ETREAT)
 * with a justification; decisions for that user, person and purpose then permit, every use is recorded, and the
 * organisation's privacy officer is told (consent.breakglass.v1) and reviews each grant.
 */
@ApplicationScoped
public class BreakGlassService {

  static final int MIN_JUSTIFICATION = 10;
  static final int MAX_JUSTIFICATION = 2000;

  @Inject Outbox outbox;

  @Inject org.tellonce.consent.decision.DecisionMetrics metrics;

  @ConfigProperty(name = "tellonce.consent.break-glass.duration", defaultValue = "PT4H")
  Duration duration;

  public Uni<BreakGlassGrant> grant(String personId, String purpose, String justification, Actor actor,
      String organization) {
    if (!Purposes.ETREAT.equals(purpose)) {
      throw FhirException.unprocessable("Break-glass is for emergency treatment only: purpose must be ETREAT");
    }
    if (justification == null || justification.strip().length() < MIN_JUSTIFICATION) {
      throw FhirException.unprocessable("Say why emergency access is needed (justification, at least "
          + MIN_JUSTIFICATION + " characters): the privacy officer reviews it");
    }
    if (justification.length() > MAX_JUSTIFICATION) {
      throw FhirException.unprocessable("The justification is longer than " + MAX_JUSTIFICATION + " characters");
    }
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    BreakGlassGrant grant = new BreakGlassGrant();
    grant.id = UUID.randomUUID().toString();
    grant.personId = personId;
    grant.organization = organization;
    grant.username = actor.username();
    grant.justification = justification.strip();
    grant.grantedAt = now;
    grant.expiresAt = now.plus(duration);
    grant.review = BreakGlassGrant.PENDING;
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("grantId", grant.id);
    data.put("personId", personId);
    data.put("organization", organization);
    data.put("user", grant.username);
    data.put("grantedAt", grant.grantedAt.toString());
    data.put("expiresAt", grant.expiresAt.toString());
    return Panache.withTransaction(() -> grant.<BreakGlassGrant>persist()
        .call(() -> outbox.publish(ConsentTopics.BREAK_GLASS, organization, ConsentTopics.BREAK_GLASS_GRANTED,
            organization, data)))
        .invoke(() -> metrics.breakGlassGranted(organization));
  }

  /** Records one use of a grant (a decision that disclosed under it), in its own transaction. */
  public Uni<Void> recordUse(String grantId, int items) {
    return Panache.withTransaction(() -> Panache.getSession().chain((Mutiny.Session session) -> session
        .createNativeQuery("insert into break_glass_use (grant_id, used_at, items) values (:grant, now(), :items)")
        .setParameter("grant", grantId).setParameter("items", items)
        .executeUpdate()))
        .replaceWithVoid();
  }

  /** A grant as the review queue shows it, with how often it was used. */
  public record Entry(BreakGlassGrant grant, long uses) {}

  public Uni<List<Entry>> queue(String organization, String review) {
    return Panache.withSession(() -> BreakGlassGrant.<BreakGlassGrant>find(
            "organization = ?1 and review = ?2 order by grantedAt", organization, review).page(0, 500).list()
        .chain(grants -> grants.isEmpty() ? Uni.createFrom().item(List.<Entry>of())
            : Panache.getSession().chain(session -> session.createNativeQuery(
                "select grant_id, count(*) from break_glass_use where grant_id in (:ids) group by grant_id",
                Object[].class)
            .setParameter("ids", grants.stream().map(g -> g.id).toList())
            .getResultList()
            .map(rows -> {
              Map<String, Long> uses = new LinkedHashMap<>();
              rows.forEach(r -> uses.put((String) r[0], ((Number) r[1]).longValue()));
              return grants.stream().map(g -> new Entry(g, uses.getOrDefault(g.id, 0L))).toList();
            }))));
  }

  public Uni<BreakGlassGrant> review(String id, String outcome, String note, Actor actor, String organization) {
    if (!BreakGlassGrant.APPROPRIATE.equals(outcome) && !BreakGlassGrant.INAPPROPRIATE.equals(outcome)) {
      throw FhirException.badRequest("outcome must be '" + BreakGlassGrant.APPROPRIATE + "' or '"
          + BreakGlassGrant.INAPPROPRIATE + "'");
    }
    if (note != null && note.length() > MAX_JUSTIFICATION) {
      throw FhirException.unprocessable("The note is longer than " + MAX_JUSTIFICATION + " characters");
    }
    return Panache.withTransaction(() -> BreakGlassGrant.<BreakGlassGrant>findById(id, LockModeType.PESSIMISTIC_WRITE)
        .map(grant -> {
          if (grant == null || (organization != null && !organization.equals(grant.organization))) {
            throw new FhirException(404, org.hl7.fhir.r4.model.OperationOutcome.IssueType.NOTFOUND,
                "Break-glass grant " + id + " is not known");
          }
          if (!BreakGlassGrant.PENDING.equals(grant.review)) {
            throw FhirException.conflict("Break-glass grant " + id + " was already reviewed (" + grant.review + ")");
          }
          grant.review = outcome;
          grant.reviewedBy = actor.username();
          grant.reviewedAt = OffsetDateTime.now(ZoneOffset.UTC);
          grant.reviewNote = note;
          return grant;
        }));
  }
}
