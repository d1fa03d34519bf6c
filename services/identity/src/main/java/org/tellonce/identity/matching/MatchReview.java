package org.tellonce.identity.matching;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.OffsetDateTime;

/** A possible duplicate found at registration, waiting for a person to link the two records or keep them apart. */
@Entity
@Table(name = "match_review")
public class MatchReview extends PanacheEntityBase {

  public static final String OPEN = "open";
  public static final String LINKED = "linked";
  public static final String KEPT_APART = "kept-apart";

  @Id public String id;

  /** The record registration created. */
  @Column(name = "person_id", nullable = false)
  public String personId;

  /** The record already in the index that it may duplicate. */
  @Column(name = "candidate_id", nullable = false)
  public String candidateId;

  @Column(nullable = false)
  public BigDecimal score;

  @Column(nullable = false)
  public String grade;

  @Column(nullable = false)
  public String status;

  @Column(name = "opened_by")
  public String openedBy;

  @Column(name = "opened_at", nullable = false)
  public OffsetDateTime openedAt;

  @Column(name = "resolved_by")
  public String resolvedBy;

  @Column(name = "resolved_at")
  public OffsetDateTime resolvedAt;

  @Column(name = "resolution_note")
  public String resolutionNote;
}
