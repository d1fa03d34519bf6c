package org.tellonce.referral.referral;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.tellonce.platform.security.Actor;

/** A referral: its ServiceRequest as FHIR JSON, who sent it and where it was routed. */
@Entity
@Table(name = "referral")
public class ReferralEntity {

  @Id public String id;

  @Column(name = "person_id", nullable = false)
  public String personId;

  @Column(name = "requester_org", nullable = false)
  public String requesterOrganization;

  @Column(name = "recipient_org", nullable = false)
  public String recipientOrganization;

  /** The HealthcareService (in the identity directory) the referral was routed to, when routing picked one. */
  @Column(name = "recipient_service")
  public String recipientService;

  /** The Task's status (the workflow state), kept here for worklists, capacity and SLAs. */
  @Column(nullable = false)
  public String status;

  /** Where an on-hold referral returns to. */
  @Column(name = "held_from")
  public String heldFrom;

  @Column(nullable = false)
  public String priority;

  @Column(name = "routing_rule", nullable = false)
  public String routingRule;

  @Column(nullable = false)
  public int version;

  @Column(name = "service_request", nullable = false, columnDefinition = "text")
  public String serviceRequest;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;

  /** Only the referring and the receiving organisations (and tellonce services) may see a referral. */
  public boolean visibleTo(Actor actor) {
    String organization = actor.organization();
    return actor.isService() || (organization != null
        && (organization.equals(requesterOrganization) || organization.equals(recipientOrganization)));
  }
}
