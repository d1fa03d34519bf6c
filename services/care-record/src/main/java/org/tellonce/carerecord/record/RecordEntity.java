package org.tellonce.carerecord.record;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import org.tellonce.platform.persistence.ResourceKey;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/** A resource of the shared record; {@code resource} is its FHIR JSON as last stored. */
@Entity
@Table(name = "record_resource")
@IdClass(ResourceKey.class)
public class RecordEntity {

  @Id
  @Column(name = "resource_type")
  public String resourceType;

  @Id public String id;

  @Column(nullable = false)
  public int version;

  @Column(name = "person_id", nullable = false)
  public String personId;

  @Column(name = "source_org")
  public String sourceOrganization;

  /** Security label codes, comma-separated. */
  @Column(nullable = false)
  public String labels;

  @Column(nullable = false, columnDefinition = "text")
  public String resource;

  @Column(name = "recorded_by")
  public String recordedBy;

  @Column(nullable = false)
  public boolean deleted;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;

  public List<String> labelList() {
    return labels.isEmpty() ? List.of() : Arrays.asList(labels.split(","));
  }

  public String reference() {
    return resourceType + "/" + id;
  }
}
