package org.tellonce.referral.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Postcode districts to localities (neighbourhoods), from {@code localities.csv}: one {@code district,locality} per
 * line, {@code #} for comments. A district belongs to one locality.
 */
public record Localities(Map<String, String> byDistrict) {

  public static Localities parse(String text) throws RoutingRules.Invalid {
    Map<String, String> byDistrict = new HashMap<>();
    List<String> problems = new ArrayList<>();
    String[] lines = text.split("\\R");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] cells = line.split(",", -1);
      if (cells.length != 2) {
        problems.add("localities.csv line " + (i + 1) + ": district,locality");
        continue;
      }
      String district = cells[0].strip().toUpperCase(Locale.ROOT);
      String locality = cells[1].strip().toLowerCase(Locale.ROOT);
      if (!district.matches("[A-Z]{1,2}[0-9][A-Z0-9]?") || !locality.matches("[a-z0-9-]{1,40}")) {
        problems.add("localities.csv line " + (i + 1) + ": a postcode district (RV1) and a locality code"
            + " (lower-case letters, digits and dashes)");
      } else if (byDistrict.putIfAbsent(district, locality) != null) {
        problems.add("localities.csv line " + (i + 1) + ": district " + district + " is already in "
            + byDistrict.get(district));
      }
    }
    if (!problems.isEmpty()) {
      throw new RoutingRules.Invalid(problems);
    }
    return new Localities(Collections.unmodifiableMap(byDistrict));
  }

  /** The locality of a postcode district, or null when the file does not know it. */
  public String of(String district) {
    return district == null ? null : byDistrict.get(district.toUpperCase(Locale.ROOT));
  }

  public Set<String> names() {
    return new TreeSet<>(byDistrict.values());
  }
}
