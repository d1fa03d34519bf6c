package org.tellonce.consent.agreement;

import ca.uhn.fhir.context.FhirContext;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.tellonce.platform.decision.Purposes;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;

/**
 * A data-sharing agreement as administrators write it: {@code status} active, draft or retired; {@code parties}
 * organisation codes (two or more); {@code purposes} from the HL7 v3 ActReason codes tellonce knows; {@code
 * dataClasses} FHIR resource types or {@code *}; {@code period} with optional {@code start} and {@code end} dates.
 */
public record AgreementBody(String title, String status, List<String> parties, List<String> purposes,
    List<String> dataClasses, Period period, String reference) {

  public static final Set<String> STATUSES = Set.of("active", "draft", "retired");

  public record Period(String start, String end) {}

  /** Checks the agreement (a 422 saying what is wrong) and answers it as decisions use it. */
  public Agreement check(String id) {
    if (title == null || title.isBlank() || title.length() > 200) {
      throw FhirException.unprocessable("An agreement needs a title of at most 200 characters");
    }
    if (status == null || !STATUSES.contains(status)) {
      throw FhirException.unprocessable("status must be one of " + new TreeSet<>(STATUSES));
    }
    if (parties == null || parties.stream().distinct().count() < 2) {
      throw FhirException.unprocessable("An agreement is between at least two parties (organisation codes)");
    }
    for (String party : parties) {
      if (party == null || !party.matches("[A-Za-z0-9]{3,12}")) {
        throw FhirException.unprocessable("Every party must be an ODS or council code of 3 to 12 letters and digits");
      }
    }
    if (purposes == null || purposes.isEmpty() || !Purposes.KNOWN.containsAll(purposes)) {
      throw FhirException.unprocessable("purposes must list one or more of " + new TreeSet<>(Purposes.KNOWN));
    }
    if (dataClasses == null || dataClasses.isEmpty()) {
      throw FhirException.unprocessable("dataClasses must list FHIR resource types, or \"*\" for all data");
    }
    FhirContext context = Fhir.context();
    for (String dataClass : dataClasses) {
      if (!Agreement.ALL_DATA.equals(dataClass) && !context.getResourceTypes().contains(dataClass)) {
        throw FhirException.unprocessable("dataClasses: '" + dataClass + "' is not a FHIR R4 resource type");
      }
    }
    LocalDate start = date(period == null ? null : period.start(), "period.start");
    LocalDate end = date(period == null ? null : period.end(), "period.end");
    if (start != null && end != null && end.isBefore(start)) {
      throw FhirException.unprocessable("period.end is before period.start");
    }
    if (reference != null && reference.length() > 200) {
      throw FhirException.unprocessable("reference is longer than 200 characters");
    }
    return agreement(id);
  }

  /** The agreement as decisions use it, without checking it again (it was checked when it was written). */
  public Agreement agreement(String id) {
    return new Agreement(id, title.strip(), Set.copyOf(parties.stream().map(String::toUpperCase).toList()),
        Set.copyOf(purposes), Set.copyOf(dataClasses), date(period == null ? null : period.start(), "period.start"),
        date(period == null ? null : period.end(), "period.end"));
  }

  private static LocalDate date(String value, String element) {
    if (value == null) {
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw FhirException.unprocessable(element + " must be a date as YYYY-MM-DD");
    }
  }
}
