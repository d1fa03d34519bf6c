package org.tellonce.referral.referral;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

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

  @Column(name = "routing_rule", nullable = false)
  public String routingRule;

  @Column(nullable = false)
  public int version;

  @Column(name = "service_request", nullable = false, columnDefinition = "text")
  public String serviceRequest;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  /** Only the referring and the receiving organisations (and tellonce services) may see a referral. */
  public boolean visibleTo(String organization) {
    return organization != null
        && (organization.equals(requesterOrganization) || organization.equals(recipientOrganization));
  }
}
