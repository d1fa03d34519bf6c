package org.tellonce.consent.objection;

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
import org.tellonce.platform.fhir.References;
import org.tellonce.platform.security.CurrentActor;
import org.tellonce.platform.security.Roles;

/**
 * Objections to sharing for direct care: the review queue, one objection with its reviews, and the review itself
 * (upheld or overridden, with a reason) by a senior clinician or privacy officer.
 */
@Path("/objections")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.SENIOR_CLINICIAN, Roles.PRIVACY_OFFICER, Roles.ADMIN})
public class ObjectionResource {

  static final Set<String> STATUSES = Set.copyOf(ObjectionService.STATUSES);
  static final int MAX_COUNT = 500;

  @Inject ObjectionService objections;
  @Inject CurrentActor actor;

  public record ReviewRequest(String outcome, String reason) {}

  public record ReviewView(String outcome, String reason, String reviewer, String organization, String role,
      int consentVersion, OffsetDateTime reviewed) {
    static ReviewView of(ObjectionReview r) {
      return new ReviewView(r.outcome, r.reason, r.reviewer, r.reviewerOrganization, r.reviewerRole, r.consentVersion,
          r.reviewedAt);
    }
  }

  public record ObjectionView(String consent, String patient, int version, String recordedBy,
      OffsetDateTime recorded, String status, List<ReviewView> reviews) {
    static ObjectionView of(ObjectionService.Entry e) {
      return new ObjectionView("Consent/" + e.consent().id, "Patient/" + e.consent().personId, e.consent().version,
          e.consent().recordedBy, e.consent().updatedAt, e.status(),
          e.reviews().stream().map(ReviewView::of).toList());
    }
  }

  /** Objections in a status (default pending), of one person or recorded by one organisation, oldest first. */
  @GET
  public Uni<List<ObjectionView>> queue(@QueryParam("status") @DefaultValue("pending") String status,
      @QueryParam("patient") String patient, @QueryParam("organization") String organization,
      @QueryParam("_count") @DefaultValue("100") String count) {
    if (!STATUSES.contains(status)) {
      throw FhirException.badRequest("status must be one of " + new java.util.TreeSet<>(STATUSES));
    }
    if (organization != null && !organization.matches("[A-Za-z0-9]{3,12}")) {
      throw FhirException.badRequest("organization must be an ODS or council code");
    }
    if (!count.matches("\\d{1,4}") || Integer.parseInt(count) < 1 || Integer.parseInt(count) > MAX_COUNT) {
      throw FhirException.badRequest("_count must be a number from 1 to " + MAX_COUNT);
    }
    String personId = patient == null ? null : References.personIdParameter(patient, "patient");
    return objections.queue(status, personId, organization, Integer.parseInt(count))
        .map(entries -> entries.stream().map(ObjectionView::of).toList());
  }

  @GET
  @Path("/{id}")
  public Uni<ObjectionView> read(@PathParam("id") String id) {
    return objections.read(id).map(ObjectionView::of);
  }

  /** Upholds or overrides the objection (Consent/{id}); the reason is shown with every decision it affects. */
  @POST
  @Path("/{id}/reviews")
  @RolesAllowed({Roles.SENIOR_CLINICIAN, Roles.PRIVACY_OFFICER})
  public Uni<ObjectionView> review(@PathParam("id") String id, ReviewRequest request) {
    if (request == null) {
      throw FhirException.badRequest("Give {\"outcome\": \"upheld\" | \"overridden\", \"reason\": \"…\"}");
    }
    return objections.review(id, request.outcome(), request.reason(), actor.get()).map(ObjectionView::of);
  }
}
