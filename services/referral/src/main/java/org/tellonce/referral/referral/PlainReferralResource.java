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

  /** A move asked for: the new status and, where it needs one, the reason. */
  public record Move(String status, String reason) {}

  /** A discharge recorded: when the person left hospital. */
  public record Discharge(java.time.OffsetDateTime dischargedAt) {}

  /** A redirect asked for: where to (organisation code or {@code single-point-of-access}) and the handover note. */
  public record Redirect(String target, String note) {}

  @Inject ReferralWorkflow workflow;
  @Inject ReferralWorklist worklist;
  @Inject CurrentActor actor;

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

  /** Makes a move on the referral's Task, then answers the referral as it now is. */
  private Uni<Summary> onTask(String id, java.util.function.Function<String, Uni<ReferralWorkflow.Loaded>> move) {
    return workflow.taskOf(id, actor.get()).chain(task -> move.apply(task))
        .chain(moved -> workflow.summary(id, actor.get()));
  }
}
