package org.tellonce.consent.objection;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.tellonce.consent.decision.ConsentPolicy;
import org.tellonce.consent.record.ConsentEntity;
import org.tellonce.consent.record.ConsentRepository;
import org.tellonce.consent.record.ConsentService;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.security.Actor;
import org.tellonce.platform.security.Roles;

/**
 * Objections to sharing for direct care, the English way: direct care rests on implied consent, so an objection is
 * recorded and then upheld or overridden by a senior clinician or privacy officer with a documented reason (NHS
 * confidentiality guidance). An objection is enforced while pending and once upheld; once overridden it no longer
 * binds direct care, and every disclosure under the override says so. A review binds the Consent version it
 * reviewed: if the person changes their objection, it is pending again.
 */
@ApplicationScoped
public class ObjectionService {

  static final int MIN_REASON = 20;
  static final Set<String> OUTCOMES = Set.of(ObjectionReview.UPHELD, ObjectionReview.OVERRIDDEN);
  static final List<String> STATUSES = List.of("pending", ObjectionReview.UPHELD, ObjectionReview.OVERRIDDEN);

  /** Joins each objection {@code c} to its latest review {@code r}, for {@link #STATUS}. */
  static final String LATEST_REVIEW = """
      left join lateral (select o.consent_version, o.outcome from objection_review o where o.consent_id = c.id
                         order by o.reviewed_at desc, o.id limit 1) r on true""";

  /**
   * How an objection stands, in SQL: its latest review's outcome if that reviewed the current version (as
   * {@link #reviewsCurrent}), else pending.
   */
  static final String STATUS = "(case when r.consent_version = c.version then r.outcome else 'pending' end)";

  @Inject ConsentRepository consents;
  @Inject ConsentService consentService;

  /** An objection with every review of it, newest first. */
  public record Entry(ConsentEntity consent, List<ObjectionReview> reviews) {
    /** pending, upheld or overridden: the latest review of the current version. */
    public String status() {
      return statusOf(consent, reviews.isEmpty() ? null : reviews.get(0));
    }
  }

  /**
   * How an objection stands, from its current version and latest review: pending when never reviewed or when the
   * review was of an earlier version; otherwise upheld or overridden, by whom (name, role, organisation), when and why.
   */
  public static ConsentPolicy.Objection standing(int consentVersion, Integer reviewedVersion, String outcome,
      String reviewer, String role, String organization, java.time.LocalDate reviewed, String reason) {
    if (!reviewsCurrent(consentVersion, reviewedVersion)) {
      return ConsentPolicy.Objection.PENDING;
    }
    return new ConsentPolicy.Objection(ObjectionReview.UPHELD.equals(outcome) ? ConsentPolicy.Review.UPHELD
        : ConsentPolicy.Review.OVERRIDDEN, reviewer + " (" + role.replace('-', ' ') + ", " + organization + ")",
        reviewed, reason);
  }

  private Uni<Map<String, ObjectionReview>> latest(List<String> consentIds) {
    return Panache.getSession().chain(session -> session.createNativeQuery("""
            select distinct on (consent_id) * from objection_review where consent_id in (:ids)
            order by consent_id, reviewed_at desc, id""", ObjectionReview.class)
        .setParameter("ids", consentIds)
        .getResultList())
        .map(reviews -> reviews.stream().collect(Collectors.toMap(r -> r.consentId, Function.identity())));
  }

  @WithSession
  public Uni<Entry> read(String consentId) {
    return consents.findById(consentId).chain(entity -> {
      if (entity == null || !entity.objection) {
        throw FhirException.notFound("Objection", consentId);
      }
      return reviews(entity);
    });
  }

  private Uni<Entry> reviews(ConsentEntity entity) {
    return ObjectionReview.<ObjectionReview>find("consentId = ?1 order by reviewedAt desc, id", entity.id).list()
        .map(list -> new Entry(entity, list));
  }

  /**
   * Objections to review: active ones, optionally of one person or recorded by one organisation, in the given status,
   * oldest first (at most {@code limit}), each with its latest review.
   */
  @WithSession
  public Uni<List<Entry>> queue(String status, String personId, String organization, int limit) {
    StringBuilder where = new StringBuilder("c.objection and c.status = 'active'");
    Map<String, Object> parameters = new HashMap<>();
    if (personId != null) {
      where.append(" and c.person_id = :person");
      parameters.put("person", personId);
    }
    if (organization != null) {
      where.append(" and c.recorded_by = :organization");
      parameters.put("organization", organization);
    }
    parameters.put("status", status);
    parameters.put("limit", limit);
    String sql = """
        select c.* from consent_record c %s
        where %s and %s = :status
        order by c.updated_at, c.id limit :limit""".formatted(LATEST_REVIEW, where, STATUS);
    return Panache.getSession().chain(session -> {
      var query = session.createNativeQuery(sql, ConsentEntity.class);
      parameters.forEach(query::setParameter);
      return query.getResultList();
    }).chain(found -> found.isEmpty() ? Uni.createFrom().item(List.<Entry>of())
        : latest(found.stream().map(e -> e.id).toList()).map(latest -> found.stream()
            .map(e -> new Entry(e, latest.containsKey(e.id) ? List.of(latest.get(e.id)) : List.of()))
            .toList()));
  }

  private static String statusOf(ConsentEntity entity, ObjectionReview latest) {
    return latest == null || !reviewsCurrent(entity.version, latest.consentVersion) ? "pending" : latest.outcome;
  }

  /** A review binds only the version of the Consent it reviewed: a restated objection is pending again. */
  private static boolean reviewsCurrent(int consentVersion, Integer reviewedVersion) {
    return reviewedVersion != null && reviewedVersion == consentVersion;
  }

  /**
   * Upholds or overrides the current version of an objection. Only a senior clinician or a privacy officer may; the
   * reason is required. The person's revision rises and consent.v1 tells the change, in the same transaction.
   */
  @WithTransaction
  public Uni<Entry> review(String consentId, String outcome, String reason, Actor actor) {
    if (outcome == null || !OUTCOMES.contains(outcome)) {
      throw FhirException.badRequest("outcome must be one of " + new java.util.TreeSet<>(OUTCOMES));
    }
    if (reason == null || reason.strip().length() < MIN_REASON) {
      throw FhirException.unprocessable("Give the reason for the decision (at least " + MIN_REASON
          + " characters): it is shown with every decision the review affects");
    }
    String role = actor.hasRole(Roles.PRIVACY_OFFICER) ? Roles.PRIVACY_OFFICER
        : actor.hasRole(Roles.SENIOR_CLINICIAN) ? Roles.SENIOR_CLINICIAN : null;
    if (role == null) {
      throw FhirException.forbidden("Only a senior clinician or a privacy officer may uphold or override an"
          + " objection");
    }
    if (actor.organization() == null) {
      throw FhirException.forbidden("The reviewer must belong to an organisation");
    }
    return consents.findById(consentId, LockModeType.PESSIMISTIC_WRITE).chain(entity -> {
      if (entity == null || !entity.objection) {
        throw FhirException.notFound("Objection", consentId);
      }
      if (!"active".equals(entity.status)) {
        throw FhirException.conflict("Consent/" + consentId + " is " + entity.status
            + ": only an active objection is upheld or overridden");
      }
      ObjectionReview review = new ObjectionReview();
      review.id = UUID.randomUUID().toString();
      review.consentId = consentId;
      review.consentVersion = entity.version;
      review.outcome = outcome;
      review.reason = reason.strip();
      review.reviewer = actor.username();
      review.reviewerOrganization = actor.organization();
      review.reviewerRole = role;
      review.reviewedAt = OffsetDateTime.now(ZoneOffset.UTC);
      return review.persist()
          .chain(() -> consentService.changed(entity, outcome))
          .chain(() -> reviews(entity));
    });
  }
}
