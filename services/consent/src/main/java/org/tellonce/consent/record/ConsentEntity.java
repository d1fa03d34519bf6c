package org.tellonce.consent.record;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** The current version of a person's Consent. */
@Entity
@Table(name = "consent_record")
public class ConsentEntity {

  @Id public String id;

  @Column(name = "person_id", nullable = false)
  public String personId;

  @Column(nullable = false)
  public String status;

  @Column(nullable = false)
  public int version;

  @Column(nullable = false, columnDefinition = "text")
  public String resource;

  @Column(name = "recorded_by")
  public String recordedBy;

  /** The Consent objects to sharing for direct care (so it is reviewed: upheld or overridden). */
  @Column(nullable = false)
  public boolean objection;

  /** The Consent records the person's National Data Opt-out. */
  @Column(name = "national_opt_out", nullable = false)
  public boolean nationalOptOut;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;
}
