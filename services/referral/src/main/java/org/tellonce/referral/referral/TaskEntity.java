package org.tellonce.referral.referral;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** The workflow Task of a referral, as FHIR JSON. */
@Entity
@Table(name = "referral_task")
public class TaskEntity {

  public static final String WORKFLOW = "workflow";

  @Id public String id;

  @Column(name = "referral_id", nullable = false)
  public String referralId;

  /** {@code workflow} (the referral's own Task) or another kind, such as the referrer's obtain-consent Task. */
  @Column(nullable = false)
  public String kind = WORKFLOW;

  @Column(nullable = false)
  public String status;

  @Column(nullable = false)
  public int version;

  @Column(nullable = false, columnDefinition = "text")
  public String resource;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;
}
