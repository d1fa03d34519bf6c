package org.tellonce.platform.decision;

import java.util.Set;

/** Purposes of use (HL7 v3 ActReason) that tellonce understands. */
public final class Purposes {

  public static final String SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

  public static final String TREAT = "TREAT";
  public static final String ETREAT = "ETREAT";
  public static final String CAREMGT = "CAREMGT";

  public static final Set<String> KNOWN =
      Set.of("TREAT", "ETREAT", "CAREMGT", "COC", "HOPERAT", "PUBHLTH", "HRESCH", "PATRQT", "HSYSADMIN");

  /** Direct care: implied consent applies among the person's care team. */
  public static final Set<String> DIRECT_CARE = Set.of("TREAT", "ETREAT", "CAREMGT", "COC");

  /**
   * Purposes beyond individual care to which the National Data Opt-out applies: planning and operations, public
   * health and research. (Statutory exemptions, such as the control of communicable disease, are not modelled: the
   * opt-out is honoured, failing closed.)
   */
  public static final Set<String> NATIONAL_OPT_OUT_APPLIES = Set.of("HOPERAT", "PUBHLTH", "HRESCH");

  private static final java.util.Map<String, String> WORDS = java.util.Map.of(
      "TREAT", "their care", "ETREAT", "emergency care", "CAREMGT", "care management", "COC", "continuity of care",
      "HOPERAT", "planning and operations", "PUBHLTH", "public health", "HRESCH", "research",
      "PATRQT", "their own request", "HSYSADMIN", "system administration");

  private Purposes() {}

  /** A purpose in plain English ("research"), or the code for one tellonce does not know. */
  public static String words(String purpose) {
    return WORDS.getOrDefault(purpose, purpose);
  }
}
