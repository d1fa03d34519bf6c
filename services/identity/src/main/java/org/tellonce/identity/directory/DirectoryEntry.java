package org.tellonce.identity.directory;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;

/** A directory resource as last stored (FHIR JSON) with its version. */
@Entity
@Table(name = "directory_resource")
@IdClass(DirectoryEntry.Key.class)
public class DirectoryEntry extends PanacheEntityBase {

  @Id
  @Column(name = "resource_type")
  public String resourceType;

  @Id public String id;

  @Column(nullable = false)
  public int version;

  @Column(nullable = false)
  public boolean active;

  @Column(nullable = false, columnDefinition = "text")
  public String resource;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;

  public static class Key implements Serializable {
    public String resourceType;
    public String id;

    public Key() {}

    public Key(String resourceType, String id) {
      this.resourceType = resourceType;
      this.id = id;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Objects.equals(resourceType, k.resourceType) && Objects.equals(id, k.id);
    }

    @Override
    public int hashCode() {
      return Objects.hash(resourceType, id);
    }
  }
}
