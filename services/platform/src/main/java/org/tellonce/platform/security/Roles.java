package org.tellonce.platform.security;

/** Realm roles of the {@code tellonce} Keycloak realm. */
public final class Roles {
  public static final String CLINICIAN = "clinician";
  /** A senior clinician (for example a consultant or GP partner): may uphold or override objections. */
  public static final String SENIOR_CLINICIAN = "senior-clinician";
  public static final String SOCIAL_WORKER = "social-worker";
  public static final String SUPPORT_WORKER = "support-worker";
  public static final String CARE_COORDINATOR = "care-coordinator";
  public static final String PRIVACY_OFFICER = "privacy-officer";
  public static final String ADMIN = "admin";
  public static final String SERVICE = "service";

  private Roles() {}
}
