package org.tellonce.identity.directory;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.security.Roles;

/**
 * {@code POST /staff/{username}/proximity} {@code {"persons": [ids]}}: for the access monitor (a service) or an
 * administrator, whether each person is the staff member's namesake or colleague. Yes/no only, never a name.
 */
@Path("/staff/{username}/proximity")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.SERVICE, Roles.ADMIN})
public class StaffProximityResource {

  static final int MAX_PERSONS = 100;

  public record Request(List<String> persons) {}

  @Inject StaffProximity proximity;

  @POST
  public Uni<StaffProximity.Result> proximity(@PathParam("username") String username, Request request) {
    if (!username.matches("[a-z0-9._@-]{2,100}")) {
      throw FhirException.badRequest("username must be a Keycloak username: lower-case letters, digits and . _ @ -");
    }
    if (request == null || request.persons() == null || request.persons().isEmpty()
        || request.persons().size() > MAX_PERSONS || request.persons().stream().anyMatch(p -> p == null || p.isBlank())) {
      throw FhirException.badRequest("Give {\"persons\": [\"{person id}\", …]}: 1 to " + MAX_PERSONS + " ids");
    }
    return proximity.of(username, request.persons().stream().distinct().toList());
  }
}
