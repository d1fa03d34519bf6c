package org.tellonce.platform.security;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The actor of the current request, read from the validated bearer token. */
@RequestScoped
public class CurrentActor {

  public static final String ORGANIZATION_CLAIM = "org";
  public static final String PRACTITIONER_ROLE_CLAIM = "practitioner_role";

  @Inject SecurityIdentity identity;
  @Inject JsonWebToken token;

  private Actor actor;

  public Actor get() {
    if (actor == null) {
      String username = token.getClaim("preferred_username");
      actor = new Actor(
          token.getSubject(),
          username != null ? username : token.getClaim("azp"),
          token.getClaim(ORGANIZATION_CLAIM),
          identity.getRoles(),
          token.getClaim(PRACTITIONER_ROLE_CLAIM));
    }
    return actor;
  }

  /** The organisation code of the caller, or a 403 when the token carries none (a staff action needs one). */
  public String requireOrganization() {
    String organization = get().organization();
    if (organization == null || organization.isBlank()) {
      throw org.tellonce.platform.fhir.FhirException.forbidden(
          "Your account is not linked to an organisation; ask your administrator to set it");
    }
    return organization;
  }
}
