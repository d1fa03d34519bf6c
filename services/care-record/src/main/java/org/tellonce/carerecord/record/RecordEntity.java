package org.tellonce.carerecord.record;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** A resource of the shared record; {@code resource} is its FHIR JSON as last stored. */
@Entity
@Table(name = "record_resource")
@IdClass(RecordEntity.Key.class)
public class RecordEntity {

  public static class Key implements Serializable {
    public String resourceType;
    public String id;

    public Key() {}

    public Key(String resourceType, String id) {
      this.resourceType = resourceType;
      this.id = id;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && Objects.equals(key.resourceType, resourceType) && Objects.equals(key.id, id);
    }

    @Override
    public int hashCode() {
      return Objects.hash(resourceType, id);
    }
  }

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
