package org.tellonce.identity.directory;

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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DomainResource;
import org.tellonce.platform.fhir.Bundles;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.Versioned;
import org.tellonce.platform.security.CurrentActor;
import org.tellonce.platform.security.Roles;

/** FHIR REST for the directory: create, read, update (If-Match) and search; writes are for administrators. */
@Path("/fhir/{type}")
@Produces(Fhir.JSON)
@Consumes({Fhir.JSON, "application/json"})
public class DirectoryResource {

  @Inject DirectoryService directory;
  @Inject CurrentActor actor;

  @POST
  @RolesAllowed({Roles.ADMIN, Roles.SERVICE})
  public Uni<Response> create(@PathParam("type") String type, IBaseResource body) {
    DirectoryKind<DomainResource> kind = kind(type);
    return directory.create(kind, cast(kind, body), actor.get()).map(Versioned::created);
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER, Roles.CARE_COORDINATOR,
      Roles.PRIVACY_OFFICER, Roles.ADMIN, Roles.SERVICE})
  public Uni<Response> read(@PathParam("type") String type, @PathParam("id") String id) {
    return directory.read(kind(type), id).map(Versioned::ok);
  }

  @PUT
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.SERVICE})
  public Uni<Response> update(@PathParam("type") String type, @PathParam("id") String id,
      @HeaderParam("If-Match") String ifMatch, IBaseResource body) {
    DirectoryKind<DomainResource> kind = kind(type);
    return directory.update(kind, id, cast(kind, body), Versioned.ifMatch(ifMatch), actor.get()).map(Versioned::ok);
  }

  @GET
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER, Roles.CARE_COORDINATOR,
      Roles.PRIVACY_OFFICER, Roles.ADMIN, Roles.SERVICE})
  public Uni<Bundle> search(@PathParam("type") String type, @Context UriInfo uri) {
    return directory.search(kind(type), uri.getQueryParameters()).map(page -> Bundles.page(page, uri));
  }

  @SuppressWarnings("unchecked")
  private DirectoryKind<DomainResource> kind(String type) {
    return (DirectoryKind<DomainResource>) directory.kind(type);
  }

  private static DomainResource cast(DirectoryKind<DomainResource> kind, IBaseResource body) {
    if (!kind.resourceClass().isInstance(body)) {
      throw FhirException.badRequest("The body must be a " + kind.type() + " resource, not "
          + (body == null ? "empty" : body.fhirType()));
    }
    return kind.resourceClass().cast(body);
  }
}
