package org.tellonce.referral.referral;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;

/** One move of a referral: created, a status change or a redirect, with who made it and why. */
@Entity
@Table(name = "referral_history")
@IdClass(HistoryEntry.Key.class)
public class HistoryEntry extends PanacheEntityBase {

  /** The kinds of move. */
  public static final String CREATED = "created";
  public static final String TRANSITION = "transition";
  public static final String REDIRECT = "redirect";
  public static final String DISCHARGE = "discharge";

  /** The key of a history entry: the referral and the move's number within it. */
  public static class Key implements Serializable {
    public String referralId;
    public int seq;

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && seq == key.seq && java.util.Objects.equals(referralId, key.referralId);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(referralId, seq);
    }
  }

  @Id
  @Column(name = "referral_id")
  public String referralId;

  @Id public int seq;

  @Column(nullable = false)
  public String kind;

  @Column(name = "from_status")
  public String fromStatus;

  @Column(name = "to_status", nullable = false)
  public String toStatus;

  @Column(name = "from_recipient")
  public String fromRecipient;

  @Column(name = "to_recipient", nullable = false)
  public String toRecipient;

  @Column(name = "to_service")
  public String toService;

  @Column(columnDefinition = "text")
  public String reason;

  @Column(name = "loop_detected", nullable = false)
  public boolean loopDetected;

  @Column(name = "by_user", nullable = false)
  public String byUser;

  @Column(name = "by_org")
  public String byOrganization;

  @Column(nullable = false)
  public OffsetDateTime at;
}
