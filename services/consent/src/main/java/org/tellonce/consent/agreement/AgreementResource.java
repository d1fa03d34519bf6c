package org.tellonce.consent.agreement;

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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.Versioned;
import org.tellonce.platform.security.CurrentActor;
import org.tellonce.platform.security.Roles;

/** Data-sharing agreements: written by administrators and privacy officers, readable by every member of staff. */
@Path("/agreements")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AgreementResource {

  @Inject AgreementService agreements;
  @Inject CurrentActor actor;

  public record View(String id, int version, String title, String status, List<String> parties, List<String> purposes,
      List<String> dataClasses, AgreementBody.Period period, String reference, String updatedBy) {
    static View of(AgreementService.Stored s) {
      AgreementBody b = s.body();
      return new View(s.id(), s.version(), b.title(), b.status(), b.parties(), b.purposes(), b.dataClasses(),
          b.period(), b.reference(), s.updatedBy());
    }
  }

  @POST
  @RolesAllowed({Roles.ADMIN, Roles.PRIVACY_OFFICER})
  public Uni<Response> create(AgreementBody body) {
    require(body);
    return agreements.create(body, actor.get()).map(stored -> Response.created(URI.create("agreements/" + stored.id()))
        .header("ETag", "W/\"" + stored.version() + "\"").entity(View.of(stored)).build());
  }

  @PUT
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.PRIVACY_OFFICER})
  public Uni<Response> update(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, AgreementBody body) {
    require(body);
    return agreements.update(id, body, Versioned.ifMatch(ifMatch), actor.get())
        .map(stored -> Response.ok(View.of(stored)).header("ETag", "W/\"" + stored.version() + "\"").build());
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER, Roles.CARE_COORDINATOR,
      Roles.PRIVACY_OFFICER, Roles.ADMIN, Roles.SERVICE})
  public Uni<View> read(@PathParam("id") String id) {
    return agreements.read(id).map(View::of);
  }

  @GET
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER, Roles.CARE_COORDINATOR,
      Roles.PRIVACY_OFFICER, Roles.ADMIN, Roles.SERVICE})
  public Uni<List<View>> list(@QueryParam("status") String status) {
    if (status != null && !AgreementBody.STATUSES.contains(status)) {
      throw FhirException.badRequest("status must be one of " + AgreementBody.STATUSES);
    }
    return agreements.list(status).map(found -> found.stream().map(View::of).toList());
  }

  private static void require(AgreementBody body) {
    if (body == null) {
      throw FhirException.badRequest("The body must be an agreement: {title, status, parties[], purposes[],"
          + " dataClasses[], period?: {start?, end?}, reference?}");
    }
  }
}
