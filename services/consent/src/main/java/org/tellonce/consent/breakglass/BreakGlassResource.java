package org.tellonce.consent.breakglass;

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
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Reference;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;
import org.tellonce.platform.security.Actor;
import org.tellonce.platform.security.CurrentActor;
import org.tellonce.platform.security.Roles;

/** Break-glass: a clinician's emergency access, and the privacy officer's review queue. */
@Path("/break-glass")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BreakGlassResource {

  static final Set<String> REVIEWS = Set.of(BreakGlassGrant.PENDING, BreakGlassGrant.APPROPRIATE,
      BreakGlassGrant.INAPPROPRIATE);

  @Inject BreakGlassService breakGlass;
  @Inject CurrentActor actor;

  public record GrantRequest(String person, String purpose, String justification) {}

  public record ReviewRequest(String outcome, String note) {}

  public record GrantView(String id, String person, String organization, String user, String justification,
      OffsetDateTime grantedAt, OffsetDateTime expiresAt, String review, String reviewedBy, OffsetDateTime reviewedAt,
      String reviewNote, Long uses) {
    static GrantView of(BreakGlassGrant g, Long uses) {
      return new GrantView(g.id, "Patient/" + g.personId, g.organization, g.username, g.justification, g.grantedAt,
          g.expiresAt, g.review, g.reviewedBy, g.reviewedAt, g.reviewNote, uses);
    }
  }

  @POST
  @RolesAllowed(Roles.CLINICIAN)
  public Uni<Response> grant(GrantRequest request) {
    if (request == null || request.person() == null) {
      throw FhirException.badRequest("Give {\"person\": \"Patient/{id}\", \"purpose\": \"ETREAT\","
          + " \"justification\": \"…\"}");
    }
    String personId = References.patientId(new Reference(request.person()), "person");
    String organization = actor.requireOrganization();
    return breakGlass.grant(personId, request.purpose(), request.justification(), actor.get(), organization)
        .map(grant -> Response.created(URI.create("break-glass/" + grant.id)).entity(GrantView.of(grant, 0L)).build());
  }

  /** The review queue of an organisation: its own privacy officer's, or any for an administrator. */
  @GET
  @RolesAllowed({Roles.PRIVACY_OFFICER, Roles.ADMIN})
  public Uni<List<GrantView>> queue(@QueryParam("organization") String organization,
      @QueryParam("review") @DefaultValue("pending") String review) {
    if (organization == null || organization.isBlank()) {
      throw FhirException.badRequest("Give organization (an ODS or council code)");
    }
    if (!REVIEWS.contains(review)) {
      throw FhirException.badRequest("review must be one of " + REVIEWS);
    }
    ownOrganization(organization);
    return breakGlass.queue(organization, review)
        .map(entries -> entries.stream().map(e -> GrantView.of(e.grant(), e.uses())).toList());
  }

  @POST
  @Path("/{id}/review")
  @RolesAllowed({Roles.PRIVACY_OFFICER, Roles.ADMIN})
  public Uni<GrantView> review(@PathParam("id") String id, ReviewRequest request) {
    if (request == null || request.outcome() == null) {
      throw FhirException.badRequest("Give {\"outcome\": \"appropriate\" | \"inappropriate\", \"note\": \"…\"}");
    }
    Actor who = actor.get();
    String scope = who.hasRole(Roles.ADMIN) ? null : actor.requireOrganization();
    return breakGlass.review(id, request.outcome(), request.note(), who, scope).map(g -> GrantView.of(g, null));
  }

  private void ownOrganization(String organization) {
    Actor who = actor.get();
    if (!who.hasRole(Roles.ADMIN) && !organization.equals(who.organization())) {
      throw FhirException.forbidden("A privacy officer reviews the break-glass use of their own organisation only");
    }
  }
}
