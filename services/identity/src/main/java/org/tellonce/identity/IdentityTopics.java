package org.tellonce.identity;

/** The topics identity publishes (the deployment's prefix is added by the outbox relay) and its event types. */
public final class IdentityTopics {
  public static final String PERSON = "identity.person.v1";
  public static final String CARE_TEAM = "identity.careteam.v1";

  public static final String PERSON_REGISTERED = "org.tellonce.identity.person.registered.v1";
  public static final String CARE_TEAM_CHANGED = "org.tellonce.identity.careteam.changed.v1";

  private IdentityTopics() {}
}
