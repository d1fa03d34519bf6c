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

  private Purposes() {}
}
