package org.tellonce.identity.directory;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import org.tellonce.platform.persistence.ResourceKey;
import java.time.OffsetDateTime;

/** A directory resource as last stored (FHIR JSON) with its version. */
@Entity
@Table(name = "directory_resource")
@IdClass(ResourceKey.class)
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
}
