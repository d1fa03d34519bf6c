package org.tellonce.identity.merge;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** One merge of a record into another, and its undoing: the audit trail of the index. */
@Entity
@Table(name = "person_merge")
public class PersonMerge extends PanacheEntityBase {

  @Id public String id;

  @Column(name = "source_id", nullable = false)
  public String sourceId;

  @Column(name = "target_id", nullable = false)
  public String targetId;

  @Column(nullable = false)
  public String reason;

  @Column(name = "merged_by", nullable = false)
  public String mergedBy;

  @Column(name = "merged_by_org")
  public String mergedByOrg;

  @Column(name = "merged_at", nullable = false)
  public OffsetDateTime mergedAt;

  @Column(name = "unmerged_by")
  public String unmergedBy;

  @Column(name = "unmerged_at")
  public OffsetDateTime unmergedAt;

  @Column(name = "unmerge_reason")
  public String unmergeReason;
}
