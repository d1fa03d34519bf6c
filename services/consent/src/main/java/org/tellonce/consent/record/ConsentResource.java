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
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.tellonce.platform.fhir.Bundles;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.Versioned;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;
import org.tellonce.platform.fhir.SearchParameters;
import org.tellonce.platform.security.Actor;
import org.tellonce.platform.security.CurrentActor;
import org.tellonce.platform.security.Roles;

/** FHIR Consent: recorded by a practitioner on the person's behalf; {@code status: inactive} withdraws it. */
@Path("/fhir/Consent")
@Produces(Fhir.JSON)
@Consumes({Fhir.JSON, "application/json"})
@RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.CARE_COORDINATOR, Roles.PRIVACY_OFFICER, Roles.ADMIN,
    Roles.SERVICE})
public class ConsentResource {

  static final java.util.List<String> STATUSES = java.util.List.of("draft", "proposed", "active", "rejected",
      "inactive", "entered-in-error");
  static final int MAX_COUNT = 500;

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

  /**
   * Search by {@code patient}, {@code status} (comma-separated) and {@code actor:identifier} (the organisation a
   * provision names, {@code https://fhir.nhs.uk/Id/ods-organization-code|CODE}). Without a patient, an actor is
   * required, and only a privacy officer (for their own organisation) or an administrator may search.
   */
  @GET
  public Uni<Bundle> search(@QueryParam("patient") String patient, @QueryParam("status") String status,
      @QueryParam("actor:identifier") String actorIdentifier, @Context UriInfo uri) {
    Bundles.requireOnly(uri, Set.of("patient", "status", "actor:identifier", "_count"));
    String personId = patient == null || patient.isBlank() ? null : References.personIdParameter(patient, "patient");
    List<String> statuses = status == null || status.isBlank() ? List.of() : List.of(status.split(","));
    for (String code : statuses) {
      if (!STATUSES.contains(code)) {
        throw FhirException.badRequest("status must be one or more of " + STATUSES);
      }
    }
    String organization = actorIdentifier == null ? null : organization(actorIdentifier);
    if (personId == null) {
      if (organization == null) {
        throw FhirException.badRequest("Search Consents by patient (?patient={id}) or by the organisation they name"
            + " (?actor:identifier=" + References.ODS_SYSTEM + "|{code})");
      }
      Actor who = actor.get();
      if (!who.hasRole(Roles.ADMIN) && !(who.hasRole(Roles.PRIVACY_OFFICER)
          && organization.equals(who.organization()))) {
        throw FhirException.forbidden("Only a privacy officer (for their own organisation) or an administrator may"
            + " search Consents across persons");
      }
    }
    int count = SearchParameters.count(uri.getQueryParameters().getFirst("_count"), 100, MAX_COUNT);
    return consents.search(personId, statuses, organization, count)
        .map(list -> Bundles.searchset(list, Bundles.self(uri)));
  }

  static String organization(String token) {
    int bar = token.indexOf('|');
    String system = bar < 0 ? null : token.substring(0, bar);
    String code = bar < 0 ? token : token.substring(bar + 1);
    if ((system != null && !system.isEmpty() && !References.ODS_SYSTEM.equals(system))
        || !code.matches("[A-Za-z0-9]{3,12}")) {
      throw FhirException.badRequest("actor:identifier must be " + References.ODS_SYSTEM + "|{ODS or council code}");
    }
    return code;
  }
}
