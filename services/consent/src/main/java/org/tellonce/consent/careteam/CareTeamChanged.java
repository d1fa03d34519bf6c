package org.tellonce.consent.careteam;

import java.util.List;
import java.util.Set;

/** The data of an {@code identity.careteam.v1} event (contracts/events/identity.careteam.v1.schema.json). */
public record CareTeamChanged(
    String careTeamId, int version, String personId, String status, Set<String> organizations,
    List<String> practitionerRoles) {

  /** Only an active team gives its members a legitimate relationship with the person. */
  public boolean active() {
    return "active".equals(status);
  }
}
