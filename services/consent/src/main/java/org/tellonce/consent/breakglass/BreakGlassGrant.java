package org.tellonce.consent.breakglass;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** One emergency-access grant: who, for whom, why, until when, and the privacy officer's review. */
@Entity
@Table(name = "break_glass")
public class BreakGlassGrant extends PanacheEntityBase {

  public static final String PENDING = "pending";
  public static final String APPROPRIATE = "appropriate";
  public static final String INAPPROPRIATE = "inappropriate";

  @Id public String id;

  @Column(name = "person_id", nullable = false)
  public String personId;

  @Column(nullable = false)
  public String organization;

  @Column(nullable = false)
  public String username;

  @Column(nullable = false)
  public String justification;

  @Column(name = "granted_at", nullable = false)
  public OffsetDateTime grantedAt;

  @Column(name = "expires_at", nullable = false)
  public OffsetDateTime expiresAt;

  @Column(nullable = false)
  public String review;

  @Column(name = "reviewed_by")
  public String reviewedBy;

  @Column(name = "reviewed_at")
  public OffsetDateTime reviewedAt;

  @Column(name = "review_note")
  public String reviewNote;
}
