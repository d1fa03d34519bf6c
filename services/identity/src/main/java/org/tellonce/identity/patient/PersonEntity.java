package org.tellonce.identity.patient;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A person in the index; {@code resource} is the FHIR Patient as JSON, as last stored. */
@Entity
@Table(name = "person")
public class PersonEntity {

  @Id public String id;

  @Column(nullable = false)
  public int version;

  @Column(name = "nhs_number", unique = true)
  public String nhsNumber;

  @Column(nullable = false, columnDefinition = "text")
  public String resource;

  @Column(name = "recorded_by")
  public String recordedBy;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;
}
