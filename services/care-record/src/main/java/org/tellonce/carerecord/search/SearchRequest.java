package org.tellonce.carerecord.search;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.SearchParameters;

/**
 * A patient-scoped search of one resource type, as parsed from its query: criteria (each an AND of its repeats, each
 * repeat an OR of comma-separated values), sort, page size and cursor, total mode, includes. Anything it does not
 * understand is a 400 naming what it does understand, unless the caller asked for lenient handling.
 */
public record SearchRequest(
    String type, String personParameter, String personId, List<Criterion> criteria, Sort sort, int count,
    Cursor cursor, boolean total, boolean countOnly, List<Include> includes, List<Include> revincludes,
    List<String> ignored) {

  public static final int DEFAULT_COUNT = 20;
  public static final int MAX_COUNT = 200;
  /** Parameters about the search itself, not criteria. */
  static final Set<String> CONTROL = Set.of("_count", "_sort", "_total", "_summary", "_include", "_revinclude",
      "_cursor", "_format");

  /** One criterion: a parameter (with an optional modifier) and the values any of which may match. */
  public record Criterion(SearchParams.Param param, String modifier, List<String> values) {}

  /** {@code Type:param} of an include, and the parameter it follows. */
  public record Include(String sourceType, SearchParams.Param param) {}

  public enum Sort {
    LAST_UPDATED_DESC("-_lastUpdated", "r.updated_at", true),
    LAST_UPDATED_ASC("_lastUpdated", "r.updated_at", false),
    DATE_DESC("-date", "coalesce(r.date_low, '0001-01-01T00:00:00Z'::timestamptz)", true),
    DATE_ASC("date", "coalesce(r.date_low, '0001-01-01T00:00:00Z'::timestamptz)", false);

    public final String parameter;
    final String expression;
    final boolean descending;

    Sort(String parameter, String expression, boolean descending) {
      this.parameter = parameter;
      this.expression = expression;
      this.descending = descending;
    }
  }

  /** Where the next page starts: after the row with this sort value (epoch microseconds), type and id. */
  public record Cursor(long sortMicros, String type, String id) {

    public String encode() {
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString((sortMicros + "," + type + "," + id).getBytes(StandardCharsets.UTF_8));
    }

    public static Cursor decode(String value) {
      try {
        String[] parts = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8).split(",");
        if (parts.length != 3 || !parts[1].matches("[A-Z][A-Za-z]{1,40}") || !parts[2].matches("[A-Za-z0-9\\-.]{1,64}")) {
          throw new IllegalArgumentException();
        }
        return new Cursor(Long.parseLong(parts[0]), parts[1], parts[2]);
      } catch (IllegalArgumentException e) {
        throw FhirException.badRequest("_cursor is not one this server gave out; follow the Bundle's links");
      }
    }
  }

  /**
   * Parses the query of {@code GET /fhir/{type}}. {@code personParameters} are the names that may carry the person
   * (one of them is required); {@code lenient} ignores unknown parameters instead of refusing them.
   */
  public static SearchRequest parse(String type, Map<String, List<String>> query, Set<String> personParameters,
      boolean lenient) {
    List<String> ignored = new ArrayList<>();
    String personParameter = null;
    String personValue = null;
    List<Criterion> criteria = new ArrayList<>();
    for (Map.Entry<String, List<String>> entry : query.entrySet()) {
      String key = entry.getKey();
      if (CONTROL.contains(key)) {
        continue;
      }
      if (personParameters.contains(key)) {
        if (personValue != null || entry.getValue().size() != 1) {
          throw FhirException.badRequest("Name the person once, as ?" + key + "={id}");
        }
        personParameter = key;
        personValue = entry.getValue().get(0);
        continue;
      }
      int colon = key.indexOf(':');
      String name = colon < 0 ? key : key.substring(0, colon);
      String modifier = colon < 0 ? null : key.substring(colon + 1);
      SearchParams.Param param = common(name);
      if (param == null) {
        param = SearchParams.find(type, name);
      }
      if (param == null) {
        if (lenient) {
          ignored.add(key);
          continue;
        }
        throw FhirException.badRequest("Unknown search parameter '" + key + "' for " + type + "; supported: "
            + supported(type, personParameters) + " (send Prefer: handling=lenient to have unknown ones ignored)");
      }
      if (modifier != null && !(modifier.equals("not") && param.kind() == SearchParams.Kind.TOKEN)) {
        throw FhirException.badRequest("Modifier ':" + modifier + "' is not supported on " + name
            + "; tokens take :not");
      }
      for (String value : entry.getValue()) {
        List<String> values = List.of(value.split(","));
        if (value.isBlank() || values.isEmpty() || values.size() > 50 || values.stream().anyMatch(String::isBlank)) {
          throw FhirException.badRequest("Search parameter '" + key + "' needs 1 to 50 comma-separated values");
        }
        for (String v : values) {
          if (v.length() > 300) {
            throw FhirException.badRequest("A value of '" + key + "' is longer than 300 characters");
          }
          if (param.kind() == SearchParams.Kind.DATE) {
            DatePrefix.parse(key, v);
          }
        }
        criteria.add(new Criterion(param, modifier, values));
      }
    }
    if (personValue == null) {
      throw FhirException.badRequest("Searches of the shared record are by person: ?"
          + personParameters.iterator().next() + "={id}");
    }
    String personId = org.tellonce.platform.fhir.References.personIdParameter(personValue, personParameter);
    String summary = single(query, "_summary");
    if (summary != null && !summary.equals("count") && !summary.equals("false")) {
      throw FhirException.badRequest("_summary supports count and false");
    }
    String totalMode = single(query, "_total");
    if (totalMode != null && !Set.of("none", "estimate", "accurate").contains(totalMode)) {
      throw FhirException.badRequest("_total must be none, estimate or accurate");
    }
    String format = single(query, "_format");
    if (format != null && !format.contains("json")) {
      throw FhirException.badRequest("_format: this server speaks FHIR JSON only");
    }
    String cursor = single(query, "_cursor");
    return new SearchRequest(type, personParameter, personId, criteria, sort(single(query, "_sort"), type),
        SearchParameters.count(single(query, "_count"), DEFAULT_COUNT, MAX_COUNT),
        cursor == null ? null : Cursor.decode(cursor), !"none".equals(totalMode), "count".equals(summary),
        includes(type, query.getOrDefault("_include", List.of()), false),
        includes(type, query.getOrDefault("_revinclude", List.of()), true), ignored);
  }

  static SearchParams.Param common(String name) {
    return switch (name) {
      case "_id" -> new SearchParams.Param("_id", SearchParams.Kind.TOKEN, List.of());
      case "_lastUpdated" -> new SearchParams.Param("_lastUpdated", SearchParams.Kind.DATE, List.of());
      default -> null;
    };
  }

  static Sort sort(String value, String type) {
    if (value == null) {
      return Sort.LAST_UPDATED_DESC;
    }
    for (Sort sort : Sort.values()) {
      if (sort.parameter.equals(value)) {
        if (sort.parameter.endsWith("date") && SearchParams.clinicalDate(type) == null) {
          break;
        }
        return sort;
      }
    }
    throw FhirException.badRequest("_sort supports _lastUpdated and -_lastUpdated"
        + (SearchParams.clinicalDate(type) == null ? "" : ", date and -date (" + type + "'s "
            + SearchParams.clinicalDate(type).name() + ")"));
  }

  private static List<Include> includes(String type, List<String> values, boolean reverse) {
    List<Include> includes = new ArrayList<>();
    String name = reverse ? "_revinclude" : "_include";
    for (String value : values) {
      String[] parts = value.split(":");
      SearchParams.Param param = parts.length == 2 || parts.length == 3 ? SearchParams.find(parts[0], parts[1]) : null;
      boolean fits = param != null && param.kind() == SearchParams.Kind.REFERENCE
          && (reverse || parts[0].equals(type));
      if (!fits) {
        throw FhirException.badRequest(name + "=" + value + " is not supported; " + name + " takes Type:parameter"
            + (reverse ? "" : " of " + type) + " for a reference parameter, such as " + (reverse
                ? "Provenance:target" : "CarePlan:goal"));
      }
      includes.add(new Include(parts[0], param));
    }
    if (includes.size() > 10) {
      throw FhirException.badRequest("At most 10 " + name + " values");
    }
    return includes;
  }

  /** The one value of a parameter that may be given once (null when absent), or a 400. */
  public static String single(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw FhirException.badRequest(name + " may be given once");
    }
    return values.get(0);
  }

  static Set<String> supported(String type, Set<String> personParameters) {
    Set<String> names = new TreeSet<>(personParameters);
    names.addAll(SearchParams.of(type).keySet());
    names.addAll(SearchParams.COMMON);
    names.addAll(CONTROL);
    return names;
  }
}
