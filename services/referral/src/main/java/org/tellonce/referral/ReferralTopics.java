package org.tellonce.referral;

/** Topics and event types of the referral service (the deployment prefix is added by the outbox relay). */
public final class ReferralTopics {
  /** The referral's state on every change; key = person id, so one person's referrals stay in order. */
  public static final String REFERRAL = "referral.v1";
  /** Who is to be told about a referral (receiver, referrer, care coordinator); key = person id. */
  public static final String NOTIFICATION = "referral.notification.v1";

  public static final String REFERRAL_CREATED = "org.tellonce.referral.created.v1";
  public static final String REFERRAL_STATUS_CHANGED = "org.tellonce.referral.status-changed.v1";
  public static final String REFERRAL_REDIRECTED = "org.tellonce.referral.redirected.v1";
  public static final String REFERRAL_ESCALATED = "org.tellonce.referral.escalated.v1";
  public static final String NOTIFICATION_TYPE = "org.tellonce.referral.notification.v1";

  private ReferralTopics() {}
}
