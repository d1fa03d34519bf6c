package org.tellonce.carerecord.search;

import java.util.function.Supplier;
import org.tellonce.platform.fhir.FhirException;

/** A date search value: a prefix (eq by default) and the range the date stands for. */
public record DatePrefix(String prefix, DateRange range) {

  static final java.util.Set<String> PREFIXES = java.util.Set.of("eq", "ne", "lt", "le", "gt", "ge", "sa", "eb", "ap");

  public static DatePrefix parse(String parameter, String value) {
    String prefix = "eq";
    String date = value;
    if (value.length() > 2 && Character.isLetter(value.charAt(0))) {
      prefix = value.substring(0, 2);
      date = value.substring(2);
      if (!PREFIXES.contains(prefix)) {
        throw FhirException.badRequest(parameter + " has an unknown prefix; use eq, ne, lt, le, gt, ge, sa, eb or ap");
      }
    }
    return new DatePrefix(prefix, DateRange.parse(parameter, date));
  }

  /**
   * The SQL condition comparing a stored range ({@code low}, {@code high} expressions) with this value, whose bounds
   * are bound by {@code lo} and {@code hi} when the condition uses them (a statement binds only what it uses).
   */
  String condition(String low, String high, Supplier<String> lo, Supplier<String> hi) {
    return switch (prefix) {
      case "eq" -> "(" + low + " >= " + lo.get() + " and " + high + " <= " + hi.get() + ")";
      case "ne" -> "not (" + low + " >= " + lo.get() + " and " + high + " <= " + hi.get() + ")";
      case "lt" -> low + " < " + lo.get();
      case "le" -> low + " <= " + hi.get();
      case "gt" -> high + " > " + hi.get();
      case "ge" -> high + " >= " + lo.get();
      case "sa" -> low + " > " + hi.get();
      case "eb" -> high + " < " + lo.get();
      default -> "(" + low + " <= " + hi.get() + " and " + high + " >= " + lo.get() + ")";
    };
  }
}
