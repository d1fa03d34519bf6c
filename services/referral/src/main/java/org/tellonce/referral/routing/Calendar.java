package org.tellonce.referral.routing;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Working days in England: Monday to Friday, without the bank holidays of {@code bank-holidays.txt} (one ISO date per
 * line, {@code #} comments), in Europe/London time. Turns a response time into a deadline.
 */
public record Calendar(Set<LocalDate> bankHolidays) {

  public static final ZoneId LONDON = ZoneId.of("Europe/London");

  public static Calendar parse(String text) throws RoutingRules.Invalid {
    Set<LocalDate> days = new TreeSet<>();
    List<String> problems = new ArrayList<>();
    String[] lines = text.split("\\R");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].replaceAll("#.*", "").strip();
      if (line.isEmpty()) {
        continue;
      }
      try {
        days.add(LocalDate.parse(line));
      } catch (DateTimeParseException e) {
        problems.add("bank-holidays.txt line " + (i + 1) + ": a date as 2026-12-25");
      }
    }
    if (!problems.isEmpty()) {
      throw new RoutingRules.Invalid(problems);
    }
    return new Calendar(Set.copyOf(days));
  }

  public boolean workingDay(LocalDate day) {
    return day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY
        && !bankHolidays.contains(day);
  }

  /**
   * When a response time from {@code start} runs out: elapsed time as is; working days counted from the next working
   * day, at the same time of day (a referral made on a Saturday or a bank holiday counts from the start of the next
   * working day).
   */
  public Instant deadline(Instant start, Deadline deadline) {
    if (deadline instanceof Deadline.Elapsed elapsed) {
      return start.plus(elapsed.duration());
    }
    int days = ((Deadline.WorkingDays) deadline).days();
    ZonedDateTime at = start.atZone(LONDON);
    if (!workingDay(at.toLocalDate())) {
      LocalDate next = at.toLocalDate();
      while (!workingDay(next)) {
        next = next.plusDays(1);
      }
      at = next.atStartOfDay(LONDON);
    }
    LocalDate day = at.toLocalDate();
    for (int counted = 0; counted < days; ) {
      day = day.plusDays(1);
      if (workingDay(day)) {
        counted++;
      }
    }
    return day.atTime(at.toLocalTime()).atZone(LONDON).toInstant();
  }
}
