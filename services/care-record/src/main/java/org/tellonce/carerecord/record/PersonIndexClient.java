package org.tellonce.carerecord.record;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The person index's Patient, read with the caller's own token: identity applies its own disclosure rules (a restricted
 * person's address and contacts stay with the recording organisation), so the record shows exactly what identity would.
 */
@RegisterRestClient(configKey = "identity")
@Path("/fhir/Patient")
public interface PersonIndexClient {

  @GET
  @Path("/{id}")
  @Produces({"application/fhir+json", "application/json"})
  Uni<String> read(@PathParam("id") String id, @HeaderParam("Authorization") String authorization);
}
