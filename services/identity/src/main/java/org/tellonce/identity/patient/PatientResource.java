package org.tellonce.identity.patient;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.hl7.fhir.r4.model.Patient;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.security.CurrentActor;
import org.tellonce.platform.security.Roles;

@Path("/fhir/Patient")
@Produces(Fhir.JSON)
@Consumes({Fhir.JSON, "application/json"})
public class PatientResource {

  @Inject PatientService patients;
  @Inject CurrentActor actor;

  @POST
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.CARE_COORDINATOR, Roles.ADMIN, Roles.SERVICE})
  public Uni<Response> register(Patient patient) {
    return patients.register(patient, actor.get()).map(created -> Response
        .created(URI.create("Patient/" + created.getIdPart() + "/_history/1"))
        .type(Fhir.JSON)
        .header("ETag", "W/\"1\"")
        .entity(created)
        .build());
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER, Roles.CARE_COORDINATOR,
      Roles.PRIVACY_OFFICER, Roles.ADMIN, Roles.SERVICE})
  public Uni<Patient> read(@PathParam("id") String id) {
    return patients.read(id);
  }
}
