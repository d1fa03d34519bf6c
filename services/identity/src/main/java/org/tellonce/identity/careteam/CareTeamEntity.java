package org.tellonce.identity.careteam;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A person's care team (MDT); {@code resource} is the FHIR CareTeam as JSON, as last stored. */
@Entity
@Table(name = "care_team")
public class CareTeamEntity {

  @Id public String id;

  @Column(nullable = false)
  public int version;

  @Column(name = "person_id", nullable = false)
  public String personId;

  @Column(nullable = false)
  public String status;

  @Column(nullable = false, columnDefinition = "text")
  public String resource;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;
}
