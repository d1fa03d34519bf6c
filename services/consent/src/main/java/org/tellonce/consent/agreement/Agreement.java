package org.tellonce.consent.agreement;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * A data-sharing agreement as decisions use it: the partners (organisation codes) that share for direct care, the
 * purposes, the data classes (FHIR resource types, or {@code *} for all) and the period (inclusive dates, either end
 * open).
 */
public record Agreement(String id, String title, Set<String> parties, Set<String> purposes, Set<String> dataClasses,
    LocalDate start, LocalDate end) {

  public static final String ALL_DATA = "*";

  public boolean covers(String organization, String purpose, String resourceType, Instant time) {
    LocalDate day = time.atZone(ZoneOffset.UTC).toLocalDate();
    return parties.contains(organization)
        && purposes.contains(purpose)
        && (dataClasses.contains(ALL_DATA) || dataClasses.contains(resourceType))
        && (start == null || !day.isBefore(start))
        && (end == null || !day.isAfter(end));
  }
}
