package org.tellonce.referral.referral;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.tellonce.platform.fhir.Bundles;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.Versioned;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.OperationParameters;
import org.tellonce.platform.security.CurrentActor;
import org.tellonce.platform.security.Roles;
import org.tellonce.referral.workflow.Workflow.Status;

/** Referrals as FHIR ServiceRequest + Task (in the spirit of NHS BaRS). */
@Path("/fhir")
@Produces(Fhir.JSON)
@RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER, Roles.CARE_COORDINATOR, Roles.SERVICE})
public class ReferralResource {

  @Inject ReferralService referrals;
  @Inject ReferralWorkflow workflow;
  @Inject CurrentActor actor;

  @POST
  @Path("/ServiceRequest")
  @Consumes({Fhir.JSON, "application/json"})
  public Uni<Response> create(ServiceRequest request) {
    String organization = actor.requireOrganization();
    return referrals.create(request, actor.get(), organization).map(created -> Response
        .fromResponse(Versioned.created(created.serviceRequest()))
        .header("X-Referral-Task", "Task/" + created.task().getIdPart())
        .build());
  }

  @GET
  @Path("/ServiceRequest/{id}")
  public Uni<Response> read(@PathParam("id") String id) {
    return referrals.read(id, actor.get()).map(Versioned::ok);
  }

  @GET
  @Path("/Task/{id}")
  public Uni<Response> task(@PathParam("id") String id) {
    return referrals.task(id, actor.get()).map(Versioned::ok);
  }

  /**
   * Moves the referral along its lifecycle: Parameters {@code status} (received, accepted, in-progress, completed,
   * on-hold, back from on-hold, rejected by the single point of access, cancelled by the referrer) and {@code reason}
   * (needed to reject, cancel or hold). {@code If-Match} guards against a move made since the caller read the Task.
   */
  @POST
  @Path("/Task/{id}/$transition")
  @Consumes({Fhir.JSON, "application/json"})
  public Uni<Response> transition(@PathParam("id") String id, Parameters parameters,
      @HeaderParam("If-Match") String ifMatch) {
    Status to = Status.of(required(parameters, "status"));
    return workflow.transition(id, to, OperationParameters.text(parameters, "reason"), Versioned.ifMatch(ifMatch),
        actor.get()).chain(moved -> referrals.moved(moved, actor.get())).map(Versioned::ok);
  }

  /**
   * Sends the referral to another service with a handover note, instead of rejecting it: Parameters {@code target}
   * (an organisation code, or {@code single-point-of-access}) and {@code note}.
   */
  @POST
  @Path("/Task/{id}/$redirect")
  @Consumes({Fhir.JSON, "application/json"})
  public Uni<Response> redirect(@PathParam("id") String id, Parameters parameters,
      @HeaderParam("If-Match") String ifMatch) {
    return workflow.redirect(id, required(parameters, "target"), OperationParameters.text(parameters, "note"),
        Versioned.ifMatch(ifMatch), actor.get()).chain(moved -> referrals.moved(moved, actor.get()))
        .map(Versioned::ok);
  }

  /**
   * Records the person's discharge from hospital (the referrer's move): Parameters {@code date} (valueDateTime). The
   * follow-up clock of a discharge referral runs from it.
   */
  @POST
  @Path("/Task/{id}/$discharge")
  @Consumes({Fhir.JSON, "application/json"})
  public Uni<Response> discharge(@PathParam("id") String id, Parameters parameters) {
    var parameter = OperationParameters.single(parameters, "date");
    if (parameter == null || !(parameter.getValue() instanceof org.hl7.fhir.r4.model.DateTimeType date)
        || date.getValue() == null || date.getPrecision().compareTo(ca.uhn.fhir.model.api.TemporalPrecisionEnum.MINUTE) < 0) {
      throw FhirException.badRequest("Parameter 'date' is required: a valueDateTime with the time of discharge");
    }
    return workflow.discharged(id, date.getValue().toInstant(), actor.get()).map(moved -> Versioned.ok(moved.resource()));
  }

  private static String required(Parameters parameters, String name) {
    String value = OperationParameters.text(parameters, name);
    if (value == null || value.isBlank()) {
      throw FhirException.badRequest("Parameter '" + name + "' is required");
    }
    return value;
  }

  @GET
  @Path("/Task")
  public Uni<Bundle> tasks(@QueryParam("focus") String focus, @Context UriInfo uri) {
    Bundles.requireOnly(uri, Set.of("focus"));
    if (focus == null || !focus.startsWith("ServiceRequest/")) {
      throw FhirException.badRequest("Search Tasks by their referral: ?focus=ServiceRequest/{id}");
    }
    return referrals.tasksFor(focus.substring("ServiceRequest/".length()), actor.get())
        .map(list -> Bundles.searchset(list, Bundles.self(uri)));
  }
}
