package org.tellonce.referral.bars;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.persistence.Constraints;
import org.tellonce.platform.security.CurrentActor;
import org.tellonce.platform.security.Roles;

/**
 * {@code POST /fhir/$process-message}: BaRS referrals from NHS systems. Answers 200 with an OperationOutcome that
 * acknowledges the message and names the referral and its Task (the same for a retry with the same
 * {@code X-Request-ID}); the {@code servicerequest-response} message follows asynchronously.
 */
@Path("/fhir")
@Produces(Fhir.JSON)
@RolesAllowed({Roles.CLINICIAN, Roles.SOCIAL_WORKER, Roles.SUPPORT_WORKER, Roles.CARE_COORDINATOR, Roles.SERVICE})
public class MessageResource {

  static final String REQUEST_ID = "[A-Za-z0-9][A-Za-z0-9._:-]{7,99}";

  @Inject BarsMessages messages;
  @Inject CurrentActor actor;

  @POST
  @Path("/$process-message")
  @Consumes({Fhir.JSON, "application/json"})
  public Uni<Response> process(Bundle message, @HeaderParam("X-Request-ID") String requestId,
      @HeaderParam("X-Correlation-ID") String correlationId) {
    if (requestId == null || !requestId.matches(REQUEST_ID)) {
      throw FhirException.badRequest("X-Request-ID is required: the sender's unique id of this message (8 to 100"
          + " letters, digits, dots, colons and dashes; a UUID), the same on every retry");
    }
    if (correlationId != null && !correlationId.matches(REQUEST_ID)) {
      throw FhirException.badRequest("X-Correlation-ID is 8 to 100 letters, digits, dots, colons and dashes");
    }
    String organization = actor.requireOrganization();
    return messages.earlier(requestId, organization)
        .chain(earlier -> earlier != null ? Uni.createFrom().item(earlier)
            : messages.take(message, requestId, correlationId, actor.get(), organization)
                // the same message sent twice at once: the second finds the first's referral
                .onFailure(Constraints::isUniqueViolation)
                .recoverWithUni(() -> messages.earlier(requestId, organization)))
        .map(taken -> acknowledge(taken, requestId, correlationId));
  }

  static Response acknowledge(BarsMessages.Taken taken, String requestId, String correlationId) {
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
        .setCode(OperationOutcome.IssueType.INFORMATIONAL)
        .setDiagnostics((taken.retry() ? "Already received (a retry of X-Request-ID " + requestId + "): "
            : "Received: ") + "ServiceRequest/" + taken.referralId() + " and Task/" + taken.taskId()
            + "; the servicerequest-response message follows");
    Response.ResponseBuilder answer = Response.ok(outcome, Fhir.JSON)
        .header("X-Request-ID", requestId)
        .header("X-Referral-Task", "Task/" + taken.taskId())
        .header("Content-Location", "ServiceRequest/" + taken.referralId());
    if (correlationId != null) {
      answer.header("X-Correlation-ID", correlationId);
    }
    return answer.build();
  }
}
