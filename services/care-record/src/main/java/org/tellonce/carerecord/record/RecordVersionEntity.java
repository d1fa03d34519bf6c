package org.tellonce.carerecord.record;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * Every version of every resource, for {@code vread} and {@code _history}. The key (type, id, version) is what keeps
 * concurrent updates safe: two writers of the same next version cannot both succeed.
 */
@Entity
@Table(name = "record_version")
@IdClass(RecordVersionEntity.Key.class)
public class RecordVersionEntity extends StoredResource {

  public static class Key implements Serializable {
    public String resourceType;
    public String id;
    public int version;

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && key.version == version && Objects.equals(key.resourceType, resourceType)
          && Objects.equals(key.id, id);
    }

    @Override
    public int hashCode() {
      return Objects.hash(resourceType, id, version);
    }
  }

  @Id public int version;

  @Column(name = "recorded_at", nullable = false)
  public OffsetDateTime recordedAt;

  static RecordVersionEntity of(RecordEntity current) {
    RecordVersionEntity version = new RecordVersionEntity();
    version.resourceType = current.resourceType;
    version.id = current.id;
    version.version = current.version;
    version.personId = current.personId;
    version.sourceOrganization = current.sourceOrganization;
    version.labels = current.labels;
    version.resource = current.resource;
    version.recordedBy = current.recordedBy;
    version.deleted = current.deleted;
    version.recordedAt = current.updatedAt;
    return version;
  }
}
