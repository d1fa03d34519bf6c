package org.tellonce.consent.decision;

import java.util.Set;

/** Security labels (confidentiality and sensitivity codes) whose data is shared only under stricter rules. */
public final class SecurityLabels {

  /** Restricted or very restricted confidentiality, and the sensitive information categories. */
  public static final Set<String> RESTRICTED =
      Set.of("R", "V", "PSY", "ETH", "SDV", "HIV", "SOC", "SEX", "STD", "safeguarding");

  private SecurityLabels() {}

  public static boolean anyRestricted(Set<String> labels) {
    return labels.stream().anyMatch(RESTRICTED::contains);
  }
}
