package org.tellonce.carerecord.access;

import org.tellonce.platform.decision.Purposes;
import org.tellonce.platform.fhir.FhirException;

/** The purpose of a read, from the {@code X-Purpose-Of-Use} header (HL7 v3 ActReason); direct care by default. */
public final class PurposeOfUse {

  public static final String HEADER = "X-Purpose-Of-Use";

  private PurposeOfUse() {}

  public static String of(String header) {
    if (header == null || header.isBlank()) {
      return Purposes.TREAT;
    }
    if (!Purposes.KNOWN.contains(header)) {
      throw FhirException.badRequest(HEADER + " must be one of " + Purposes.KNOWN);
    }
    return header;
  }
}
