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

  /**
   * Prefix of an obligation that names the elements to withhold: {@code redact:note,text} — disclose the resource
   * without those elements (for example the free text of third-party information), and mark what was withheld.
   */
  public static final String REDACT_PREFIX = "redact:";

  private Obligations() {}

  /** The obligation to withhold these elements ({@code redact:a,b}, sorted), or null when there are none. */
  public static String redact(java.util.Collection<String> elements) {
    return elements.isEmpty() ? null : REDACT_PREFIX + String.join(",", new java.util.TreeSet<>(elements));
  }

  /** The elements a {@code redact:} obligation names, or an empty list for any other obligation. */
  public static java.util.List<String> redactedElements(String obligation) {
    return obligation == null || !obligation.startsWith(REDACT_PREFIX) || obligation.length() == REDACT_PREFIX.length()
        ? java.util.List.of() : java.util.List.of(obligation.substring(REDACT_PREFIX.length()).split(","));
  }

  /** The security label that marks a resource from which something was withheld (v3 ObservationValue REDACTED). */
  public static org.hl7.fhir.r4.model.Coding redactedLabel() {
    return new org.hl7.fhir.r4.model.Coding("http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "REDACTED",
        "redacted");
  }
}
