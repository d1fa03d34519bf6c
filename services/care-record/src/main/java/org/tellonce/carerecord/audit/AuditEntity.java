package org.tellonce.carerecord.audit;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** One access to the record, as a FHIR AuditEvent, chained to the one before by hash. */
@Entity
@Table(name = "audit_event")
public class AuditEntity extends PanacheEntityBase {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long position;

  @Column(nullable = false, unique = true)
  public String id;

  @Column(name = "recorded_at", nullable = false)
  public OffsetDateTime recordedAt;

  @Column(name = "person_id")
  public String personId;

  @Column(name = "actor_user")
  public String actorUser;

  @Column(name = "actor_org")
  public String actorOrganization;

  @Column(nullable = false)
  public String action;

  @Column(nullable = false)
  public String outcome;

  public String purpose;

  public Long revision;

  @Column(nullable = false, columnDefinition = "text")
  public String resource;

  /** Which of the hash chains the entry is in (by person). */
  @Column(nullable = false)
  public short chain;

  @Column(name = "previous_hash", nullable = false)
  public String previousHash;

  @Column(nullable = false)
  public String hash;
}
