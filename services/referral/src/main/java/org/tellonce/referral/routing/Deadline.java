package org.tellonce.referral.routing;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a receiver has: elapsed time ({@code PT4H}, ISO 8601) or working days ({@code 5 working days}, counted
 * Monday to Friday without bank holidays).
 */
public sealed interface Deadline {

  /** Elapsed time from the start. */
  record Elapsed(Duration duration) implements Deadline {
    @Override
    public String toString() {
      return duration.toString();
    }
  }

  /** Whole working days from the start, at the same time of day. */
  record WorkingDays(int days) implements Deadline {
    @Override
    public String toString() {
      return days + (days == 1 ? " working day" : " working days");
    }
  }

  Pattern WORKING_DAYS = Pattern.compile("(\\d{1,3}) working days?");

  /** Reads a deadline, or null when the text is neither form. */
  static Deadline parse(String text) {
    if (text == null) {
      return null;
    }
    Matcher working = WORKING_DAYS.matcher(text.trim());
    if (working.matches()) {
      int days = Integer.parseInt(working.group(1));
      return days < 1 ? null : new WorkingDays(days);
    }
    try {
      Duration duration = Duration.parse(text.trim());
      return duration.isNegative() || duration.isZero() ? null : new Elapsed(duration);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
