package org.tellonce.consent.authority;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * A recorded assessment of whether the person has capacity for a decision (Mental Capacity Act 2005; Gillick
 * competence under 16). tellonce's decision is {@value Authority#INFORMATION_SHARING}; the assessment itself lives in
 * the care record and is referenced.
 */
@Entity
@Table(name = "capacity_assessment")
public class CapacityAssessment extends PanacheEntityBase {

  @Id public String id;

  @Column(name = "person_id", nullable = false)
  public String personId;

  @Column(nullable = false)
  public String decision;

  @Column(name = "has_capacity", nullable = false)
  public boolean hasCapacity;

  @Column(name = "assessed_on", nullable = false)
  public LocalDate assessedOn;

  /** A reference to the record of the assessment (for example DocumentReference/{id}). */
  @Column(nullable = false)
  public String assessment;

  @Column(columnDefinition = "text")
  public String note;

  @Column(name = "recorded_by", nullable = false)
  public String recordedBy;

  @Column(name = "recorded_by_org", nullable = false)
  public String recordedByOrg;

  @Column(name = "recorded_at", nullable = false)
  public OffsetDateTime recordedAt;
}
