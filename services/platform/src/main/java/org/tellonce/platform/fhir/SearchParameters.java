package org.tellonce.platform.fhir;

/** Reading the search parameters every FHIR search shares. */
public final class SearchParameters {

  private SearchParameters() {}

  /** {@code _count}: the default when absent, otherwise a whole number from 1 to the maximum (or a 400). */
  public static int count(String value, int defaultCount, int maxCount) {
    if (value == null) {
      return defaultCount;
    }
    try {
      int count = Integer.parseInt(value);
      if (count < 1 || count > maxCount) {
        throw new NumberFormatException();
      }
      return count;
    } catch (NumberFormatException e) {
      throw FhirException.badRequest("_count must be a whole number from 1 to " + maxCount);
    }
  }

  /** A value for SQL {@code LIKE} with its wildcards taken literally (the default escape character is a backslash). */
  public static String escapeLike(String value) {
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
