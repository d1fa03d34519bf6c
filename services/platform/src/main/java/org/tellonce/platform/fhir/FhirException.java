package org.tellonce.platform.fhir;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * A failure that the caller is told about as an OperationOutcome with the given HTTP status. The message must never
 * contain person data: it is returned to callers who may not be allowed to see it and may be logged.
 */
public class FhirException extends RuntimeException {

  private final int status;
  private final IssueType issueType;
  private final java.util.List<Issue> issues;

  /** One more issue to tell, where it is ({@code Observation.status}) and what is wrong. */
  public record Issue(String location, String text) {}

  public FhirException(int status, IssueType issueType, String message) {
    this(status, issueType, message, java.util.List.of());
  }

  public FhirException(int status, IssueType issueType, String message, java.util.List<Issue> issues) {
    super(message);
    this.status = status;
    this.issueType = issueType;
    this.issues = java.util.List.copyOf(issues);
  }

  /** The issues told after the message, each as its own OperationOutcome issue. */
  public java.util.List<Issue> issues() {
    return issues;
  }

  public int status() {
    return status;
  }

  public IssueType issueType() {
    return issueType;
  }

  public static FhirException badRequest(String message) {
    return new FhirException(400, IssueType.INVALID, message);
  }

  public static FhirException unprocessable(String message) {
    return new FhirException(422, IssueType.BUSINESSRULE, message);
  }

  public static FhirException conflict(String message) {
    return new FhirException(409, IssueType.DUPLICATE, message);
  }

  public static FhirException forbidden(String message) {
    return new FhirException(403, IssueType.FORBIDDEN, message);
  }

  /** The same answer for a resource that does not exist and one the caller may not see: no oracle. */
  public static FhirException notFound(String resourceType, String id) {
    return new FhirException(404, IssueType.NOTFOUND, resourceType + "/" + id + " is not known");
  }

  /** An If-Match version check failed: someone else changed the resource since the caller read it. */
  public static FhirException preconditionFailed(String message) {
    return new FhirException(412, IssueType.CONFLICT, message);
  }

  public static FhirException unavailable(String message) {
    return new FhirException(503, IssueType.TRANSIENT, message);
  }

  /** Load shed: the service is at its limit of work in flight and refuses more at once (503, retry after a second). */
  public static FhirException busy(String message) {
    return new FhirException(503, IssueType.THROTTLED, message);
  }

  /** Retry-After for a service or store away for a moment, and for load shed. */
  public static final String RETRY_TRANSIENT = "5";
  public static final String RETRY_BUSY = "1";

  /** The seconds a caller should wait before trying again, for a 503; null for anything else. */
  public String retryAfter() {
    return status != 503 ? null : issueType == IssueType.THROTTLED ? RETRY_BUSY : RETRY_TRANSIENT;
  }
}
