package org.tellonce.consent.objection;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** One review of an objection: upheld or overridden, by whom, with what authority and why. Reviews are never changed. */
@Entity
@Table(name = "objection_review")
public class ObjectionReview extends PanacheEntityBase {

  public static final String UPHELD = "upheld";
  public static final String OVERRIDDEN = "overridden";

  @Id public String id;

  @Column(name = "consent_id", nullable = false)
  public String consentId;

  @Column(name = "consent_version", nullable = false)
  public int consentVersion;

  @Column(nullable = false)
  public String outcome;

  @Column(nullable = false, columnDefinition = "text")
  public String reason;

  @Column(nullable = false)
  public String reviewer;

  @Column(name = "reviewer_organization", nullable = false)
  public String reviewerOrganization;

  @Column(name = "reviewer_role", nullable = false)
  public String reviewerRole;

  @Column(name = "reviewed_at", nullable = false)
  public OffsetDateTime reviewedAt;
}
