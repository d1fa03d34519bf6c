package org.tellonce.carerecord;

/** Topics and event types of the care-record service (the deployment prefix is added by the outbox relay). */
public final class CareRecordTopics {
  public static final String RECORD = "record.v1";
  public static final String AUDIT = "audit.v1";
  /** Keyed by person id: who is to be told of a disclosure (notify obligations), for a notification gateway. */
  public static final String NOTIFICATION = "record.notification.v1";
  public static final String NOTIFICATION_TYPE = "org.tellonce.record.notification.v1";
  /** On record.notification.v1, keyed by organisation: an inappropriate-access alert for its privacy officer. */
  public static final String ACCESS_ALERT = "org.tellonce.record.access-alert.v1";

  public static final String RECORD_CREATED = "org.tellonce.record.created.v1";
  public static final String RECORD_UPDATED = "org.tellonce.record.updated.v1";
  public static final String RECORD_DELETED = "org.tellonce.record.deleted.v1";
  /** A safeguarding concern was raised (an active Flag labelled safeguarding): for the escalation route. */
  public static final String SAFEGUARDING_RAISED = "org.tellonce.record.safeguarding.raised.v1";
  public static final String AUDIT_RECORDED = "org.tellonce.audit.recorded.v1";

  private CareRecordTopics() {}
}
