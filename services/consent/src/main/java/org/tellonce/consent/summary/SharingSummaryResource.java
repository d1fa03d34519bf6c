package org.tellonce.consent.summary;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.tellonce.platform.decision.Purposes;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.security.Actor;
import org.tellonce.platform.security.CurrentActor;
import org.tellonce.platform.security.Roles;

/** The sharing summary of a person, and what the calling practitioner can see of them. */
@Path("/persons/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class SharingSummaryResource {

  @Inject SharingSummary summaries;
  @Inject CurrentActor actor;

  @GET
  @Path("/sharing-summary")
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER, Roles.CARE_COORDINATOR,
      Roles.PRIVACY_OFFICER, Roles.ADMIN, Roles.SERVICE})
  public Uni<SharingSummary.Summary> summary(@PathParam("id") String id) {
    return summaries.forPerson(personId(id));
  }

  @GET
  @Path("/what-can-i-see")
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER, Roles.CARE_COORDINATOR,
      Roles.PRIVACY_OFFICER, Roles.ADMIN})
  public Uni<SharingSummary.MyView> whatCanISee(@PathParam("id") String id,
      @QueryParam("purpose") @DefaultValue("TREAT") String purpose) {
    if (!Purposes.KNOWN.contains(purpose)) {
      throw FhirException.badRequest("purpose must be one of " + Purposes.KNOWN);
    }
    Actor who = actor.get();
    return summaries.forCaller(personId(id), who.organization(), who.username(), who.roles(), purpose);
  }

  private static String personId(String id) {
    if (!id.matches("[A-Za-z0-9\\-.]{1,64}")) {
      throw FhirException.badRequest("The person id must be 1 to 64 letters, digits, '-' or '.'");
    }
    return id;
  }
}
