package org.tellonce.carerecord.search;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.Instant;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.tellonce.platform.fhir.FhirException;

/**
 * The instants a FHIR date stands for: {@code 2024-03} is the whole of March 2024, {@code 2024-03-01T10:00:00Z} one
 * second. Searches compare ranges, as the FHIR specification says.
 */
public record DateRange(Instant low, Instant high) {

  public static DateRange of(BaseDateTimeType value) {
    TemporalPrecisionEnum precision = value.getPrecision();
    Instant low = value.getValue().toInstant();
    Instant high = precision.add(value.getValue(), 1).toInstant().minusMillis(1);
    return new DateRange(low, high);
  }

  /** A search value such as {@code 2024}, {@code 2024-03-01} or {@code 2024-03-01T10:00:00Z}, or a 400. */
  public static DateRange parse(String parameter, String text) {
    try {
      if (!text.matches("\\d{4}(-\\d{2}(-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})?)?)?)?")) {
        throw new IllegalArgumentException();
      }
      DateTimeType value = new DateTimeType(text);
      if (value.getValue() == null) {
        throw new IllegalArgumentException();
      }
      return of(value);
    } catch (RuntimeException e) {
      throw FhirException.badRequest(parameter + " must be a FHIR date or dateTime after an optional prefix"
          + " (eq, ne, lt, le, gt, ge, sa, eb), such as ge2024-01-01");
    }
  }
}
