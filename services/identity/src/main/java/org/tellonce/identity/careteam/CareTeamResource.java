package org.tellonce.identity.careteam;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Reference;
import org.tellonce.platform.fhir.Bundles;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;
import org.tellonce.platform.fhir.Versioned;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.security.Roles;

@Path("/fhir/CareTeam")
@Produces(Fhir.JSON)
@Consumes({Fhir.JSON, "application/json"})
public class CareTeamResource {

  @Inject CareTeamService teams;

  @POST
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.CARE_COORDINATOR, Roles.ADMIN, Roles.SERVICE})
  public Uni<Response> create(CareTeam team) {
    return teams.create(team).map(Versioned::created);
  }

  @PUT
  @Path("/{id}")
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.CARE_COORDINATOR, Roles.ADMIN, Roles.SERVICE})
  public Uni<Response> update(@PathParam("id") String id, CareTeam team) {
    return teams.update(id, team).map(Versioned::ok);
  }

  /** CareTeam?patient=Patient/{id} (or the bare id) [&status=active|proposed|suspended|inactive|entered-in-error]. */
  @GET
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER, Roles.CARE_COORDINATOR,
      Roles.PRIVACY_OFFICER, Roles.ADMIN, Roles.SERVICE})
  public Uni<Bundle> search(@Context UriInfo uri) {
    Bundles.requireOnly(uri, Set.of("patient", "subject", "status"));
    String patient = uri.getQueryParameters().getFirst("patient") != null
        ? uri.getQueryParameters().getFirst("patient") : uri.getQueryParameters().getFirst("subject");
    if (patient == null) {
      throw FhirException.badRequest("Search care teams by patient (Patient/{id})");
    }
    String personId = References.patientId(new Reference(patient.contains("/") ? patient : "Patient/" + patient),
        "patient");
    String status = uri.getQueryParameters().getFirst("status");
    if (status != null) {
      try {
        CareTeam.CareTeamStatus.fromCode(status);
      } catch (Exception e) {
        throw FhirException.badRequest("status must be one of proposed, active, suspended, inactive, entered-in-error");
      }
    }
    return teams.forPerson(personId, status).map(found -> Bundles.searchset(found, Bundles.self(uri)));
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER, Roles.CARE_COORDINATOR,
      Roles.PRIVACY_OFFICER, Roles.ADMIN, Roles.SERVICE})
  public Uni<CareTeam> read(@PathParam("id") String id) {
    return teams.read(id);
  }
}
