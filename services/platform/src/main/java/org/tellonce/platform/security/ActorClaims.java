package org.tellonce.platform.security;

import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The claims of a bearer token an {@link Actor} is made of. Reading them costs more than it seems: the JWT principal
 * looks every claim name up among the standard claims first, and a name that is not one of them (ours: {@code org},
 * {@code practitioner_role}) costs an exception with its stack trace each time, about 5 % of care-record's CPU on a
 * read by id. So they are read once per verified token and kept with the identity {@link VerifiedTokens} remembers.
 */
record ActorClaims(String subject, String username, String organization, String practitionerRole) {

  /** The identity attribute that holds them. */
  static final String ATTRIBUTE = "org.tellonce.security.actor-claims";

  static ActorClaims of(JsonWebToken token) {
    String username = token.getClaim("preferred_username");
    return new ActorClaims(token.getSubject(), username != null ? username : token.getClaim("azp"),
        token.getClaim(CurrentActor.ORGANIZATION_CLAIM), token.getClaim(CurrentActor.PRACTITIONER_ROLE_CLAIM));
  }
}
