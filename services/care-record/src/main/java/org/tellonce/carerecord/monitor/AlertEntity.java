package org.tellonce.carerecord.monitor;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** An inappropriate-access alert for the privacy officer of the organisation the user acted for, and its review. */
@Entity
@Table(name = "access_alert")
public class AlertEntity extends PanacheEntityBase {

  public static final String OPEN = "open";
  public static final String APPROPRIATE = "appropriate";
  public static final String INAPPROPRIATE = "inappropriate";

  @Id public String id;

  @Column(nullable = false)
  public String rule;

  @Column(name = "user_name", nullable = false)
  public String user;

  public String organization;

  @Column(name = "raised_at", nullable = false)
  public OffsetDateTime raisedAt;

  /** The first and last access the alert counted. */
  @Column(name = "first_at", nullable = false)
  public OffsetDateTime firstAt;

  @Column(name = "last_at", nullable = false)
  public OffsetDateTime lastAt;

  /** How many distinct people (or break-glass grants) the rule counted. */
  @Column(nullable = false)
  public int occurrences;

  /** The person ids involved, as a JSON array: ids only. */
  @Column(nullable = false, columnDefinition = "text")
  public String persons;

  @Column(nullable = false)
  public String description;

  @Column(nullable = false)
  public String status;

  @Column(name = "reviewed_by")
  public String reviewedBy;

  @Column(name = "reviewed_at")
  public OffsetDateTime reviewedAt;

  @Column(name = "review_note")
  public String reviewNote;
}
