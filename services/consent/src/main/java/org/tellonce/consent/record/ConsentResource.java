package org.tellonce.consent.record;

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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.tellonce.platform.fhir.Bundles;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.Versioned;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;
import org.tellonce.platform.security.CurrentActor;
import org.tellonce.platform.security.Roles;

/** FHIR Consent: recorded by a practitioner on the person's behalf; {@code status: inactive} withdraws it. */
@Path("/fhir/Consent")
@Produces(Fhir.JSON)
@Consumes({Fhir.JSON, "application/json"})
@RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.CARE_COORDINATOR, Roles.PRIVACY_OFFICER, Roles.ADMIN,
    Roles.SERVICE})
public class ConsentResource {

  @Inject ConsentService consents;
  @Inject CurrentActor actor;

  @POST
  public Uni<Response> record(Consent consent) {
    return consents.record(consent, actor.get()).map(Versioned::created);
  }

  @PUT
  @Path("/{id}")
  public Uni<Response> update(@PathParam("id") String id, Consent consent) {
    return consents.update(id, consent, actor.get()).map(Versioned::ok);
  }

  @GET
  @Path("/{id}")
  public Uni<Consent> read(@PathParam("id") String id) {
    return consents.read(id);
  }

  @GET
  @Path("/{id}/_history")
  public Uni<Bundle> history(@PathParam("id") String id, @Context UriInfo uri) {
    return consents.history(id).map(versions -> Bundles.history(versions, Bundles.self(uri)));
  }

  @GET
  @Path("/{id}/_history/{version}")
  public Uni<Consent> version(@PathParam("id") String id, @PathParam("version") String version) {
    if (!version.matches("\\d{1,9}")) {
      throw FhirException.badRequest("A version id is a positive number");
    }
    return consents.readVersion(id, Integer.parseInt(version));
  }

  @GET
  public Uni<Bundle> search(@QueryParam("patient") String patient, @Context UriInfo uri) {
    Bundles.requireOnly(uri, Set.of("patient"));
    if (patient == null || patient.isBlank()) {
      throw FhirException.badRequest("Search Consents by patient: ?patient={id}");
    }
    String personId = References.personIdParameter(patient, "patient");
    return consents.forPerson(personId).map(list -> Bundles.searchset(list, Bundles.self(uri)));
  }
}
