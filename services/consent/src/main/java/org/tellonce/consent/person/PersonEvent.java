package org.tellonce.consent.person;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The fields of identity.person.v1 events the consent service uses (registered, updated, merged, unmerged). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PersonEvent(
    String personId, Integer version, Boolean restricted, String recordedBy, String birthDate, String mergeId,
    String sourceId, String targetId) {}
