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

  /** Prefix of an obligation to tell someone of the disclosure ({@code notify:<audience>}). */
  public static final String NOTIFY_PREFIX = "notify:";

  /** The audience of {@link #NOTIFY_PRIVACY_OFFICER}, as {@link #notified} answers it and notifications name it. */
  public static final String PRIVACY_OFFICER = "privacy-officer";

  /**
   * Tell the privacy officer of the organisation the caller acts for that this was disclosed — a disclosure under
   * break-glass or over the person's overridden objection. The enforcement point sends the notice once the disclosure
   * is made (a permit whose data is not shown notifies no one), naming the person's id, who, when, the purpose and
   * its audit entry — never the content.
   */
  public static final String NOTIFY_PRIVACY_OFFICER = NOTIFY_PREFIX + PRIVACY_OFFICER;

  private Obligations() {}

  /** The audiences the obligations of a decision ask to be told ({@code notify:<audience>}), sorted. */
  public static java.util.SortedSet<String> notified(java.util.Collection<String> obligations) {
    java.util.SortedSet<String> audiences = new java.util.TreeSet<>();
    if (obligations != null) {
      obligations.stream().filter(o -> o.startsWith(NOTIFY_PREFIX) && o.length() > NOTIFY_PREFIX.length())
          .forEach(o -> audiences.add(o.substring(NOTIFY_PREFIX.length())));
    }
    return audiences;
  }

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
