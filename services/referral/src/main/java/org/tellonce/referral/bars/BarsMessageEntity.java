package org.tellonce.referral.bars;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A BaRS message taken in, by the sender's X-Request-ID, and the referral it made. */
@Entity
@Table(name = "bars_message")
public class BarsMessageEntity extends PanacheEntityBase {

  @Id
  @Column(name = "request_id")
  public String requestId;

  @Column(name = "requester_org", nullable = false)
  public String requesterOrganization;

  @Column(name = "message_header_id", nullable = false)
  public String messageHeaderId;

  @Column(name = "referral_id", nullable = false)
  public String referralId;

  @Column(name = "task_id", nullable = false)
  public String taskId;

  @Column(name = "received_at", nullable = false)
  public OffsetDateTime receivedAt;
}
