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
      actor = of(identity, token);
    }
    return actor;
  }

  /** The actor of an identity: its token's claims as remembered with it when they were (else read now), its roles. */
  static Actor of(SecurityIdentity identity, JsonWebToken token) {
    ActorClaims claims = identity.getAttribute(ActorClaims.ATTRIBUTE);
    if (claims == null) {
      claims = ActorClaims.of(token);
    }
    return new Actor(claims.subject(), claims.username(), claims.organization(), identity.getRoles(),
        claims.practitionerRole());
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
