package org.tellonce.referral;

/** Topics and event types of the referral service (the deployment prefix is added by the outbox relay). */
public final class ReferralTopics {
  public static final String REFERRAL = "referral.v1";
  public static final String REFERRAL_CREATED = "org.tellonce.referral.created.v1";

  private ReferralTopics() {}
}
