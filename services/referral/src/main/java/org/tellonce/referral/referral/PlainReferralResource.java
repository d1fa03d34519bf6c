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
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.tellonce.referral.routing.Routing;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.Versioned;
import org.tellonce.platform.security.CurrentActor;
import org.tellonce.platform.security.Roles;
import org.tellonce.referral.workflow.Workflow.Status;

/**
 * The plain referral API for callers without FHIR tooling (council and VCSE case systems): the same referrals, the
 * same workflow and the same rules as the FHIR API, in plain JSON.
 */
@Path("/referrals")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER, Roles.CARE_COORDINATOR, Roles.SERVICE})
public class PlainReferralResource {

  /**
   * A new referral in plain JSON: for whom, the service categories asked for, how urgent ({@code routine},
   * {@code urgent}, {@code asap}, {@code stat}), what is asked in words, the reasons, and optionally the locality,
   * the (estimated) discharge date of a discharge follow-up, and {@code selfReferral} (recorded by the single point
   * of access for a person who referred themselves).
   */
  public record NewReferral(String personId, List<String> categories, String priority, String description,
      List<String> reasons, String locality, java.time.OffsetDateTime dischargeDate, Boolean selfReferral) {}

  /** A move asked for: the new status and, where it needs one, the reason. */
  public record Move(String status, String reason) {}

  /** A discharge recorded: when the person left hospital. */
  public record Discharge(java.time.OffsetDateTime dischargedAt) {}

  /** A redirect asked for: where to (organisation code or {@code single-point-of-access}) and the handover note. */
  public record Redirect(String target, String note) {}

  @Inject ReferralWorkflow workflow;
  @Inject ReferralWorklist worklist;
  @Inject ReferralService referrals;
  @Inject CurrentActor actor;

  /** Creates a referral from plain JSON: the same routing and workflow as a FHIR ServiceRequest. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<jakarta.ws.rs.core.Response> create(NewReferral referral) {
    ServiceRequest request = serviceRequest(referral);
    String organization = actor.requireOrganization();
    return referrals.create(request, actor.get(), organization)
        .chain(created -> workflow.summary(created.serviceRequest().getIdPart(), actor.get()))
        .map(summary -> jakarta.ws.rs.core.Response.created(java.net.URI.create("referrals/" + summary.id()))
            .entity(summary).build());
  }

  /** The ServiceRequest a plain referral stands for; a plain referral that is not one is a 400 naming the field. */
  static ServiceRequest serviceRequest(NewReferral referral) {
    if (referral == null || referral.personId() == null || referral.personId().isBlank()) {
      throw FhirException.badRequest("A referral needs personId (the person's id in tellonce) and categories");
    }
    if (referral.categories() == null || referral.categories().isEmpty()
        || referral.categories().stream().anyMatch(c -> c == null || !c.matches("[a-z0-9-]{1,60}"))) {
      throw FhirException.badRequest("categories: one or more service category codes, such as crisis or housing");
    }
    ServiceRequest request = new ServiceRequest();
    request.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE).setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
    request.setSubject(new Reference("Patient/" + referral.personId()));
    for (String category : referral.categories()) {
      request.addCategory(new CodeableConcept(new Coding(SERVICE_CATEGORY, category, null)));
    }
    if (referral.priority() != null) {
      try {
        request.setPriority(ServiceRequest.ServiceRequestPriority.fromCode(referral.priority()));
      } catch (Exception e) {
        throw FhirException.badRequest("priority is routine, urgent, asap or stat");
      }
    }
    if (referral.description() != null) {
      request.setCode(new CodeableConcept().setText(referral.description()));
    }
    if (referral.reasons() != null) {
      referral.reasons().forEach(reason -> request.addReasonCode(new CodeableConcept().setText(reason)));
    }
    if (referral.locality() != null) {
      request.addExtension(Routing.LOCALITY, new CodeType(referral.locality()));
    }
    if (referral.dischargeDate() != null) {
      request.setOccurrence(new DateTimeType(java.util.Date.from(referral.dischargeDate().toInstant())));
    }
    if (Boolean.TRUE.equals(referral.selfReferral())) {
      request.setRequester(new Reference("Patient/" + referral.personId()));
    }
    return request;
  }

  static final String SERVICE_CATEGORY = "https://fhir.tellonce.org/CodeSystem/service-category";

  /** The referral, what the caller may do next, and its history. */
  @GET
  @Path("/{id}")
  public Uni<Summary> get(@PathParam("id") String id) {
    return workflow.summary(id, actor.get());
  }

  /**
   * The caller's organisation's referrals: {@code box=inbox} (received, the default) or {@code sent}; {@code status}
   * (repeatable; the open ones by default); newest first, {@code _count} at most 200, {@code before} for the next page.
   */
  @GET
  public Uni<ReferralWorklist.Page> list(@QueryParam("box") String box, @QueryParam("status") List<String> statuses,
      @QueryParam("_count") Integer count, @QueryParam("before") String before) {
    return worklist.page(actor.get(), box, statuses, count, before);
  }

  @POST
  @Path("/{id}/transitions")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Summary> move(@PathParam("id") String id, Move move, @HeaderParam("If-Match") String ifMatch) {
    if (move == null || move.status() == null) {
      throw FhirException.badRequest("Give the new status: {\"status\": \"accepted\", \"reason\": \"…\"}");
    }
    Status to = Status.of(move.status());
    return onTask(id, task -> workflow.transition(task, to, move.reason(), Versioned.ifMatch(ifMatch), actor.get()));
  }

  @POST
  @Path("/{id}/discharge")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Summary> discharge(@PathParam("id") String id, Discharge discharge) {
    if (discharge == null || discharge.dischargedAt() == null) {
      throw FhirException.badRequest("Give the time of discharge: {\"dischargedAt\": \"2026-11-24T10:30:00Z\"}");
    }
    return onTask(id, task -> workflow.discharged(task, discharge.dischargedAt().toInstant(), actor.get()));
  }

  @POST
  @Path("/{id}/redirect")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Summary> redirect(@PathParam("id") String id, Redirect redirect, @HeaderParam("If-Match") String ifMatch) {
    if (redirect == null || redirect.target() == null) {
      throw FhirException.badRequest("Give the target and the handover note: {\"target\": \"MHT01\", \"note\": \"…\"}");
    }
    return onTask(id, task -> workflow.redirect(task, redirect.target(), redirect.note(), Versioned.ifMatch(ifMatch),
        actor.get()));
  }

  /** Makes a move on the referral's Task, then answers the referral as it now is for the caller. */
  private Uni<Summary> onTask(String id, java.util.function.Function<String, Uni<ReferralWorkflow.Loaded>> move) {
    return workflow.taskOf(id, actor.get()).chain(task -> move.apply(task))
        .chain(moved -> workflow.summaryAfterMove(id, actor.get()));
  }
}
