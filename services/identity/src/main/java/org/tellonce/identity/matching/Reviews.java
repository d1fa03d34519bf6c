package org.tellonce.identity.matching;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.tellonce.identity.merge.MergeService;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.security.Actor;

/**
 * Possible duplicates for a person to decide. Registration opens one per probable candidate; resolving it either links
 * the two records (the newer is merged into the one already in the index) or keeps them apart.
 */
@ApplicationScoped
public class Reviews {

  public static final int MAX_PER_REGISTRATION = 3;

  @Inject MergeService merges;

  /** Opens a review per candidate; call inside the registration's transaction. */
  public Uni<List<String>> open(String personId, List<PersonMatcher.Candidate> candidates, Actor actor) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    return Multi.createFrom().iterable(candidates)
        .onItem().transformToUniAndConcatenate(candidate -> {
          MatchReview review = new MatchReview();
          review.id = UUID.randomUUID().toString();
          review.personId = personId;
          review.candidateId = candidate.personId();
          review.score = BigDecimal.valueOf(candidate.result().score());
          review.grade = candidate.grade().code();
          review.status = MatchReview.OPEN;
          review.openedBy = actor.organization() == null ? actor.username() : actor.organization();
          review.openedAt = now;
          return review.<MatchReview>persist().map(r -> r.id);
        })
        .collect().asList();
  }

  @WithSession
  public Uni<List<MatchReview>> list(String status, int count, String after) {
    return MatchReview.<MatchReview>find("status = ?1 and id > ?2 order by id", status, after == null ? "" : after)
        .page(0, count)
        .list();
  }

  /** Links the two records of a review (merging the registered one into the candidate) or keeps them apart. */
  public Uni<MatchReview> resolve(String reviewId, String resolution, String note, Actor actor) {
    if (!MatchReview.LINKED.equals(resolution) && !MatchReview.KEPT_APART.equals(resolution)) {
      throw FhirException.badRequest("resolution must be '" + MatchReview.LINKED + "' or '" + MatchReview.KEPT_APART
          + "'");
    }
    if (note != null && note.length() > 1000) {
      throw FhirException.unprocessable("The note is longer than 1000 characters");
    }
    if (MatchReview.LINKED.equals(resolution)) {
      return Panache.withSession(() -> MatchReview.<MatchReview>findById(reviewId))
          .chain(review -> {
            requireOpen(review, reviewId);
            String reason = "Duplicate confirmed in review " + reviewId + (note == null || note.isBlank() ? "" : ": " + note);
            // The merge closes every open review between the two records, this one included.
            return merges.merge(review.personId, review.candidateId, reason, actor)
                .chain(() -> Panache.withSession(() -> MatchReview.<MatchReview>findById(reviewId)));
          });
    }
    return Panache.withTransaction(() -> MatchReview.<MatchReview>findById(reviewId, LockModeType.PESSIMISTIC_WRITE)
        .map(review -> {
          requireOpen(review, reviewId);
          review.status = MatchReview.KEPT_APART;
          review.resolvedBy = actor.username();
          review.resolvedAt = OffsetDateTime.now(ZoneOffset.UTC);
          review.resolutionNote = note;
          return review;
        }));
  }

  private static void requireOpen(MatchReview review, String reviewId) {
    if (review == null) {
      throw new FhirException(404, org.hl7.fhir.r4.model.OperationOutcome.IssueType.NOTFOUND,
          "Review " + reviewId + " is not known");
    }
    if (!MatchReview.OPEN.equals(review.status)) {
      throw FhirException.conflict("Review " + reviewId + " was already resolved (" + review.status + ")");
    }
  }
}
