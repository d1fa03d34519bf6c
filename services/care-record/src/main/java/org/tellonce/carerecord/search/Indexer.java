package org.tellonce.carerecord.search;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** Turns a resource into its search index rows, following {@link SearchParams}. */
public final class Indexer {

  /** The earliest and latest instants an open-ended period stands for. */
  public static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
  public static final Instant MAX = Instant.parse("9999-12-31T23:59:59Z");

  /**
   * One value of a parameter: a token (system may be null), a reference ({@code code} = {@code Type/id}) or a date
   * range ({@code low}..{@code high}, inclusive).
   */
  public record Row(String param, String system, String code, Instant low, Instant high) {}

  private Indexer() {}

  public static List<Row> rows(Resource resource) {
    List<Row> rows = new ArrayList<>();
    for (SearchParams.Param param : SearchParams.of(resource.fhirType()).values()) {
      for (String path : param.paths()) {
        for (Base value : values(resource, path)) {
          add(rows, param, value);
        }
      }
    }
    return rows;
  }

  /** The start of the type's clinical date, for {@code _sort=date}; null when the resource has none. */
  public static Instant clinicalDate(Resource resource, List<Row> rows) {
    SearchParams.Param date = SearchParams.clinicalDate(resource.fhirType());
    if (date == null) {
      return null;
    }
    return rows.stream().filter(r -> r.param().equals(date.name())).map(Row::low).min(Instant::compareTo)
        .orElse(null);
  }

  /** The values at a dotted element path; a choice element is named without its type ({@code effective}). */
  static List<Base> values(Base root, String path) {
    List<Base> current = List.of(root);
    for (String name : path.split("\\.")) {
      List<Base> next = new ArrayList<>();
      for (Base base : current) {
        Property property = base.getNamedProperty(name);
        if (property != null && property.hasValues()) {
          next.addAll(property.getValues());
        }
      }
      current = next;
    }
    return current;
  }

  private static void add(List<Row> rows, SearchParams.Param param, Base value) {
    switch (param.kind()) {
      case TOKEN -> tokens(rows, param.name(), value);
      case DATE -> date(rows, param.name(), value);
      case REFERENCE -> {
        if (value instanceof Reference reference && reference.hasReference()) {
          String target = localReference(reference.getReference());
          if (target != null) {
            rows.add(new Row(param.name(), null, target, null, null));
          }
        }
      }
    }
  }

  private static void tokens(List<Row> rows, String param, Base value) {
    if (value instanceof CodeableConcept concept) {
      concept.getCoding().forEach(coding -> tokens(rows, param, coding));
    } else if (value instanceof Coding coding && coding.hasCode()) {
      rows.add(new Row(param, blankToNull(coding.getSystem()), coding.getCode(), null, null));
    } else if (value instanceof Identifier identifier && identifier.hasValue()) {
      rows.add(new Row(param, blankToNull(identifier.getSystem()), identifier.getValue(), null, null));
    } else if (value instanceof Enumeration<?> enumeration && enumeration.hasCode()) {
      rows.add(new Row(param, blankToNull(enumeration.getSystem()), enumeration.getCode(), null, null));
    } else if (value instanceof PrimitiveType<?> primitive && primitive.hasValue() && !(value instanceof BaseDateTimeType)) {
      rows.add(new Row(param, null, primitive.getValueAsString(), null, null));
    }
  }

  private static void date(List<Row> rows, String param, Base value) {
    if (value instanceof BaseDateTimeType dateTime && dateTime.getValue() != null) {
      DateRange range = DateRange.of(dateTime);
      rows.add(new Row(param, null, null, range.low(), range.high()));
    } else if (value instanceof Period period && (period.hasStart() || period.hasEnd())) {
      Instant low = period.hasStart() ? DateRange.of(period.getStartElement()).low() : MIN;
      Instant high = period.hasEnd() ? DateRange.of(period.getEndElement()).high() : MAX;
      rows.add(new Row(param, null, null, low, high));
    }
  }

  /**
   * {@code Type/id} of a reference to a resource in this server (relative, or absolute with a version or base URL
   * removed); null for a reference elsewhere or to a contained resource.
   */
  public static String localReference(String reference) {
    if (reference == null || reference.startsWith("#")) {
      return null;
    }
    String value = reference.replaceFirst("/_history/[^/]+$", "");
    String[] parts = value.split("/");
    if (parts.length < 2) {
      return null;
    }
    if (value.contains("://") && !value.matches("^https?://[^/]+(/[^/]+)*/fhir/[A-Za-z]+/[A-Za-z0-9\\-.]{1,64}$")) {
      return null;
    }
    String type = parts[parts.length - 2];
    String id = parts[parts.length - 1];
    return type.matches("[A-Z][A-Za-z]+") && id.matches("[A-Za-z0-9\\-.]{1,64}") ? type + "/" + id : null;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
