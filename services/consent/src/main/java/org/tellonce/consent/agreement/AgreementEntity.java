package org.tellonce.consent.agreement;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A data-sharing agreement as stored: its current version, status and body (the {@link AgreementBody} as JSON). */
@Entity
@Table(name = "sharing_agreement")
public class AgreementEntity extends PanacheEntityBase {

  @Id public String id;

  @Column(nullable = false)
  public int version;

  @Column(nullable = false)
  public String status;

  @Column(nullable = false, columnDefinition = "text")
  public String body;

  @Column(name = "updated_by", nullable = false)
  public String updatedBy;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;
}
