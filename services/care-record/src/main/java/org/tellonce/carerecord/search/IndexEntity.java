package org.tellonce.carerecord.search;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** One row of the search index (see {@link Indexer.Row}). */
@Entity
@Table(name = "record_index")
public class IndexEntity extends io.quarkus.hibernate.reactive.panache.PanacheEntityBase {

  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "record_index_seq")
  @SequenceGenerator(name = "record_index_seq", sequenceName = "record_index_seq", allocationSize = 50)
  public Long entry;

  @Column(name = "resource_type", nullable = false)
  public String resourceType;

  @Column(nullable = false)
  public String id;

  @Column(nullable = false)
  public String param;

  public String system;
  public String code;
  public OffsetDateTime low;
  public OffsetDateTime high;

  public static IndexEntity of(String resourceType, String id, Indexer.Row row) {
    IndexEntity entity = new IndexEntity();
    entity.resourceType = resourceType;
    entity.id = id;
    entity.param = row.param();
    entity.system = row.system();
    entity.code = row.code();
    entity.low = row.low() == null ? null : row.low().atOffset(ZoneOffset.UTC);
    entity.high = row.high() == null ? null : row.high().atOffset(ZoneOffset.UTC);
    return entity;
  }
}
