package org.tellonce.platform.outbox;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An event written in the same transaction as the state change it describes; the relay sends it to Kafka. */
@Entity
@Table(name = "outbox")
public class OutboxEvent extends PanacheEntityBase {

  /** Order of writing: the relay sends in this order, so one person's events stay in order. */
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long position;

  @Column(name = "event_id", nullable = false, unique = true)
  public UUID eventId;

  /** The logical topic, without the deployment's prefix. */
  @Column(nullable = false)
  public String topic;

  @Column(name = "event_key")
  public String key;

  @Column(nullable = false)
  public String type;

  public String subject;

  @Column(nullable = false, columnDefinition = "text")
  public String payload;

  @Column(name = "occurred_at", nullable = false)
  public OffsetDateTime occurredAt;

  /** The W3C traceparent of the span that wrote the event, or null when none was recording. */
  @Column(name = "trace_parent")
  public String traceParent;

  @Column(name = "sent_at")
  public OffsetDateTime sentAt;
}
