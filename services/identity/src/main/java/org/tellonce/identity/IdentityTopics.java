package org.tellonce.identity;

/** The topics identity publishes (the deployment's prefix is added by the outbox relay) and its event types. */
public final class IdentityTopics {
  public static final String PERSON = "identity.person.v1";
  public static final String CARE_TEAM = "identity.careteam.v1";
  /** Teams that receive referrals (HealthcareService), compacted: key = the service's id, the newest state wins. */
  public static final String DIRECTORY = "identity.directory.v1";

  public static final String PERSON_REGISTERED = "org.tellonce.identity.person.registered.v1";
  public static final String PERSON_UPDATED = "org.tellonce.identity.person.updated.v1";
  public static final String PERSON_MERGED = "org.tellonce.identity.person.merged.v1";
  public static final String PERSON_UNMERGED = "org.tellonce.identity.person.unmerged.v1";
  public static final String CARE_TEAM_CHANGED = "org.tellonce.identity.careteam.changed.v1";
  public static final String HEALTHCARE_SERVICE_CHANGED = "org.tellonce.identity.healthcareservice.changed.v1";

  private IdentityTopics() {}
}
