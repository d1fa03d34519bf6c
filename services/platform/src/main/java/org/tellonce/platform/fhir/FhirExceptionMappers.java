package org.tellonce.platform.fhir;

import ca.uhn.fhir.parser.DataFormatException;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.tellonce.platform.resilience.Transient;

/**
 * Every error leaves a tellonce service as a FHIR OperationOutcome with a clear message and the right status. Unexpected
 * failures are logged with an incident id and the stack trace only: never the request, which may hold person data.
 */
public class FhirExceptionMappers {

  private static final Logger LOG = Logger.getLogger(FhirExceptionMappers.class);

  @ServerExceptionMapper
  public Response fhir(FhirException e) {
    Response response = outcome(e);
    return e.retryAfter() == null ? response
        : Response.fromResponse(response).header("Retry-After", e.retryAfter()).build();
  }

  private static Response outcome(FhirException e) {
    if (e.issues().isEmpty()) {
      return OperationOutcomes.response(e.status(), e.issueType(), e.getMessage());
    }
    org.hl7.fhir.r4.model.OperationOutcome outcome = OperationOutcomes.error(e.issueType(), e.getMessage());
    for (FhirException.Issue issue : e.issues()) {
      var added = outcome.addIssue().setSeverity(org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity.ERROR)
          .setCode(e.issueType()).setDiagnostics(issue.text());
      if (issue.location() != null) {
        added.addExpression(issue.location());
      }
    }
    return Response.status(e.status()).type(Fhir.JSON_UTF8).entity(Fhir.encode(outcome)).build();
  }

  @ServerExceptionMapper
  public Response dataFormat(DataFormatException e) {
    return OperationOutcomes.response(400, IssueType.INVALID, "The content is not valid FHIR R4: " + ParseErrors.describe(e));
  }

  @ServerExceptionMapper
  public Response json(JsonProcessingException e) {
    String detail = e.getOriginalMessage() == null ? "unreadable content" : e.getOriginalMessage();
    return OperationOutcomes.response(400, IssueType.INVALID, "The body is not valid JSON for this request: " + detail);
  }

  @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
  public Response unauthorized() {
    return Response.fromResponse(
            OperationOutcomes.response(401, IssueType.LOGIN, "A valid bearer token from the tellonce realm is required"))
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .build();
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e) {
    return OperationOutcomes.response(403, IssueType.FORBIDDEN, "Your role does not allow this interaction");
  }

  @ServerExceptionMapper
  public Response notFound(NotFoundException e) {
    return OperationOutcomes.response(404, IssueType.NOTSUPPORTED, "Unknown path: no such endpoint or resource type");
  }

  @ServerExceptionMapper
  public Response notAllowed(NotAllowedException e) {
    return OperationOutcomes.response(405, IssueType.NOTSUPPORTED, "This interaction is not supported on this endpoint");
  }

  @ServerExceptionMapper
  public Response notSupported(NotSupportedException e) {
    return OperationOutcomes.response(
        415, IssueType.NOTSUPPORTED, "Unsupported content type: send application/fhir+json (or application/json)");
  }

  @ServerExceptionMapper
  public Response notAcceptable(NotAcceptableException e) {
    return OperationOutcomes.response(406, IssueType.NOTSUPPORTED, "Only application/fhir+json can be returned");
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    if (status >= 500) {
      return unexpected(e);
    }
    return OperationOutcomes.response(status, IssueType.INVALID, Response.Status.fromStatusCode(status) == null
        ? "The request was refused" : Response.Status.fromStatusCode(status).getReasonPhrase());
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable e) {
    if (Transient.mayPass(e)) {
      // the store or a peer away for a moment (a restart, a failover). Whether a write that met it was stored cannot
      // be known when the connection broke during its commit, so the answer does not promise either way.
      LOG.warnf("Unavailable for a moment: %s", e.getClass().getSimpleName());
      return Response.fromResponse(OperationOutcomes.response(503, IssueType.TRANSIENT,
          "The service cannot reach its store or a service it needs for the moment. Try again shortly: a create with"
              + " If-None-Exist, or an update with If-Match, is safe to send again.")).header("Retry-After", FhirException.RETRY_TRANSIENT)
          .build();
    }
    String incident = UUID.randomUUID().toString();
    LOG.errorf(e, "Unexpected failure, incident %s", incident);
    return OperationOutcomes.response(
        500, IssueType.EXCEPTION, "An unexpected error occurred; quote incident " + incident + " to the service desk");
  }
}
