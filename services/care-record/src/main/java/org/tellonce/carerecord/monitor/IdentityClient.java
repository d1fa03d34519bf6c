package org.tellonce.carerecord.monitor;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The person index's staff proximity (namesake, colleague), called with this service's client-credentials token. */
@RegisterRestClient(configKey = "identity")
@OidcClientFilter
@Path("/staff")
public interface IdentityClient {

  record Request(List<String> persons) {}

  record Person(String person, boolean namesake, boolean colleague) {}

  record Proximity(String user, String organization, List<Person> persons) {}

  @POST
  @Path("/{username}/proximity")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  Uni<Proximity> proximity(@PathParam("username") String username, Request request);
}
