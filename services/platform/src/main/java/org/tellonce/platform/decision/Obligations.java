package org.tellonce.platform.decision;

/** Obligations a permit can carry: what the enforcement point must do when it discloses the item. */
public final class Obligations {

  /** Record the disclosure in the audit trail (every permit carries it). */
  public static final String AUDIT = "audit";

  /**
   * The person is restricted (PDS "R") and the caller is not the organisation that recorded them: disclose no address,
   * telecom or contact of the person, and mark what was withheld.
   */
  public static final String REDACT_CONTACT_DETAILS = "redact-contact-details";

  private Obligations() {}

  /** The security label that marks a resource from which something was withheld (v3 ObservationValue REDACTED). */
  public static org.hl7.fhir.r4.model.Coding redactedLabel() {
    return new org.hl7.fhir.r4.model.Coding("http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "REDACTED",
        "redacted");
  }
}
