package org.tellonce.platform.security;

import java.util.Set;

/**
 * Who is asking: taken from the bearer token. {@code organization} is the ODS or council code of claim {@code org};
 * a client-credentials token of another service has no organisation and the role {@code service}.
 */
public record Actor(String subject, String username, String organization, Set<String> roles, String practitionerRole) {

  public static final String ROLE_SERVICE = "service";

  public Actor {
    roles = roles == null ? Set.of() : Set.copyOf(roles);
  }

  public boolean isService() {
    return roles.contains(ROLE_SERVICE);
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
