package org.tellonce.consent.relationship;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The fields of referral.v1 and record.v1 events a relationship is derived from: a referral (its id, the person, the
 * receiving organisation and the Task status), or a record resource (type, id, version, person, source organisation,
* status, and whether it was deleted).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RelationshipEvent(String referralId, String recipientOrganization, String resourceType, String id,
    Integer version, String personId, String sourceOrganization, String status, Boolean deleted) {}
