package org.tellonce.identity.patient;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.tellonce.platform.fhir.Bundles;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.Versioned;
import org.tellonce.platform.security.CurrentActor;
import org.tellonce.platform.security.Roles;

@Path("/fhir/Patient")
@Produces(Fhir.JSON)
@Consumes({Fhir.JSON, "application/json"})
public class PatientResource {

  /** Tells an integration what registration did: {@code created}, {@code linked} or {@code review-opened}. */
  public static final String MATCH_HEADER = "X-Tellonce-Registration";

  @Inject PatientService patients;
  @Inject PatientSearch search;
  @Inject PatientOperations operations;
  @Inject org.tellonce.identity.careteam.CareTeamSummary summaries;
  @Inject CurrentActor actor;

  @POST
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.CARE_COORDINATOR, Roles.ADMIN, Roles.SERVICE})
  public Uni<Response> register(Patient patient) {
    return patients.register(patient, actor.get()).map(registration -> {
      if (!registration.created()) {
        return Response.fromResponse(Versioned.okAt(registration.patient())).header(MATCH_HEADER, "linked").build();
      }
      return Response.fromResponse(Versioned.created(registration.patient()))
          .header(MATCH_HEADER, registration.reviewIds().isEmpty() ? "created" : "review-opened")
          .build();
    });
  }

  @GET
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER, Roles.CARE_COORDINATOR,
      Roles.PRIVACY_OFFICER, Roles.ADMIN, Roles.SERVICE})
  public Uni<Bundle> search(@Context UriInfo uri) {
    Bundles.requireOnly(uri, PatientSearch.PARAMETERS);
    return search.search(uri.getQueryParameters(), actor.get()).map(page -> Bundles.page(page, uri));
  }

  @POST
  @Path("/$match")
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER, Roles.CARE_COORDINATOR, Roles.ADMIN,
      Roles.SERVICE})
  public Uni<Bundle> match(Parameters parameters) {
    return operations.match(parameters);
  }

  @GET
  @Path("/$ihe-pix")
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER, Roles.CARE_COORDINATOR,
      Roles.PRIVACY_OFFICER, Roles.ADMIN, Roles.SERVICE})
  public Uni<Parameters> crossReference(@QueryParam("sourceIdentifier") String source,
      @QueryParam("targetSystem") List<String> targetSystems) {
    return operations.crossReference(source, targetSystems);
  }

  @POST
  @Path("/$merge")
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.CARE_COORDINATOR, Roles.ADMIN})
  public Uni<Parameters> merge(Parameters parameters) {
    return operations.merge(parameters);
  }

  @POST
  @Path("/$unmerge")
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.CARE_COORDINATOR, Roles.ADMIN})
  public Uni<Parameters> unmerge(Parameters parameters) {
    return operations.unmerge(parameters);
  }

  /** Who is in this person's care: active care teams, named members with how to reach them, and organisations. */
  @GET
  @Path("/{id}/$care-team-summary")
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER, Roles.CARE_COORDINATOR,
      Roles.PRIVACY_OFFICER, Roles.ADMIN, Roles.SERVICE})
  public Uni<Bundle> careTeamSummary(@PathParam("id") String id) {
    return summaries.of(id);
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER, Roles.CARE_COORDINATOR,
      Roles.PRIVACY_OFFICER, Roles.ADMIN, Roles.SERVICE})
  public Uni<Response> read(@PathParam("id") String id) {
    return patients.read(id, actor.get()).map(Versioned::ok);
  }

  @PUT
  @Path("/{id}")
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.CARE_COORDINATOR, Roles.ADMIN, Roles.SERVICE})
  public Uni<Response> update(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, Patient patient) {
    return patients.update(id, patient, Versioned.ifMatch(ifMatch), actor.get()).map(Versioned::ok);
  }
}
