package org.tellonce.platform.fhir;

import jakarta.ws.rs.core.Response;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** Builds the OperationOutcomes that every error and every warning of a tellonce service is told with. */
public final class OperationOutcomes {

  private OperationOutcomes() {}

  public static OperationOutcome of(IssueSeverity severity, IssueType type, String text) {
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue().setSeverity(severity).setCode(type).setDiagnostics(text);
    return outcome;
  }

  public static OperationOutcome error(IssueType type, String text) {
    return of(IssueSeverity.ERROR, type, text);
  }

  public static Response response(int status, IssueType type, String text) {
    return Response.status(status).type(Fhir.JSON_UTF8).entity(Fhir.encode(error(type, text))).build();
  }
}
