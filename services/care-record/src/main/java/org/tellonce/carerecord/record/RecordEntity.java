package org.tellonce.carerecord.record;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.tellonce.platform.persistence.ResourceKey;

/** The current version of a resource of the shared record (every version is also a {@link RecordVersionEntity}). */
@Entity
@Table(name = "record_resource")
@IdClass(ResourceKey.class)
public class RecordEntity extends StoredResource {

  @Column(nullable = false)
  public int version;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;

  /** The start of the resource's clinical date, for {@code _sort=date}. */
  @Column(name = "date_low")
  public OffsetDateTime dateLow;
}
