package org.tellonce.consent;

/** Topics and event types of the consent service (the deployment prefix is added by the outbox relay). */
public final class ConsentTopics {
  /** Compacted, keyed by person id: the latest state of a person's consent. */
  public static final String CONSENT = "consent.v1";
  public static final String CONSENT_CHANGED = "org.tellonce.consent.changed.v1";

  /** Emergency access granted, keyed by the organisation whose privacy officer reviews it. */
  public static final String BREAK_GLASS = "consent.breakglass.v1";
  public static final String BREAK_GLASS_GRANTED = "org.tellonce.consent.breakglass.granted.v1";

  /**
   * Keyed by person id: every decision that disclosed sensitive data, or disclosed under break-glass or an overridden
   * objection, is told here for the audit trail (the enforcement point audits each access itself as well).
   */
  public static final String AUDIT = "audit.v1";
  public static final String DISCLOSURE = "org.tellonce.consent.disclosure.v1";

  /** Incoming channel of identity.careteam.v1. */
  public static final String CARE_TEAMS_CHANNEL = "careteams";

  /** Incoming channel of identity.person.v1 (restrictions and merges). */
  public static final String PERSONS_CHANNEL = "persons";

  /** Incoming channel of referral.v1 (active referrals are legitimate relationships). */
  public static final String REFERRALS_CHANNEL = "referrals";

  /** Incoming channel of record.v1 (open encounters and social-care cases are legitimate relationships). */
  public static final String RECORDS_CHANNEL = "records";

  private ConsentTopics() {}
}
