package org.tellonce.identity.matching;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.security.CurrentActor;
import org.tellonce.platform.security.Roles;

/** The review queue of possible duplicates: list them, then link the two records or keep them apart. */
@Path("/reviews")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ReviewResource {

  private static final Set<String> STATUSES = Set.of(MatchReview.OPEN, MatchReview.LINKED, MatchReview.KEPT_APART);

  @Inject Reviews reviews;
  @Inject CurrentActor actor;

  public record ReviewView(String id, String person, String candidate, double score, String grade, String status,
      String openedBy, OffsetDateTime openedAt, String resolvedBy, OffsetDateTime resolvedAt) {
    static ReviewView of(MatchReview r) {
      return new ReviewView(r.id, "Patient/" + r.personId, "Patient/" + r.candidateId, r.score.doubleValue(), r.grade,
          r.status, r.openedBy, r.openedAt, r.resolvedBy, r.resolvedAt);
    }
  }

  public record ReviewPage(List<ReviewView> items, String next) {}

  public record Resolution(String resolution, String note) {}

  @GET
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.CARE_COORDINATOR, Roles.ADMIN})
  public Uni<ReviewPage> list(@QueryParam("status") @DefaultValue("open") String status,
      @QueryParam("count") @DefaultValue("50") int count, @QueryParam("after") String after) {
    if (!STATUSES.contains(status)) {
      throw FhirException.badRequest("status must be one of " + STATUSES);
    }
    if (count < 1 || count > 200) {
      throw FhirException.badRequest("count must be from 1 to 200");
    }
    return reviews.list(status, count + 1, after).map(found -> {
      List<ReviewView> items = found.stream().limit(count).map(ReviewView::of).toList();
      return new ReviewPage(items, found.size() > count ? items.get(items.size() - 1).id() : null);
    });
  }

  @POST
  @Path("/{id}/resolve")
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.CARE_COORDINATOR, Roles.ADMIN})
  public Uni<ReviewView> resolve(@PathParam("id") String id, Resolution resolution) {
    if (resolution == null || resolution.resolution() == null) {
      throw FhirException.badRequest("Give {\"resolution\": \"linked\" | \"kept-apart\", \"note\": \"…\"}");
    }
    return reviews.resolve(id, resolution.resolution(), resolution.note(), actor.get()).map(ReviewView::of);
  }
}
