package org.tellonce.carerecord.monitor;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which rules an audited access matters to. Only person-scoped accesses by a named user count; a service's own reads
 * (no user) and accesses to nobody in particular never do. Pure: the same event always gives the same signals. The
 * namesake and colleague rules need the person index, so {@link AccessMonitor} adds them for what was {@link #shown}.
 */
public final class Signals {

  /** The care record's own audit entries. */
  public static final String RECORD_AUDIT = "org.tellonce.audit.recorded.v1";
  /** A referral shown to its receiver (full or minimal). */
  public static final String REFERRAL_SHARED = "org.tellonce.referral.shared.v1";
  public static final Set<String> WATCHED = Set.of(RECORD_AUDIT, REFERRAL_SHARED);

  /** Denials that mean the user had no business with the person (not an objection, not a sensitivity rule). */
  static final Set<String> NO_RELATIONSHIP_REFUSALS = Set.of("policy/no-legitimate-relationship", "policy/no-agreement");
  static final String BREAK_GLASS_GROUND = "break-glass/";

  /**
   * What the monitor reads of an audit event (both the record's and referral's); everything else is ignored.
   * {@code withheldOn} is why a denial was made, {@code grounds} why a disclosure was.
   */
  public record Seen(String personId, String user, String organization, String outcome, List<String> entities,
      List<String> grounds, List<String> withheldOn, String view, Instant recorded) {}

  /** One thing a rule counts: which rule, and the key it counts distinct values of. */
  public record Signal(Rule rule, String key) {}

  /** The working day, weekdays only, in a zone. */
  public record WorkingDay(LocalTime starts, LocalTime ends, ZoneId zone) {
    boolean contains(Instant at) {
      ZonedDateTime local = at.atZone(zone);
      DayOfWeek day = local.getDayOfWeek();
      LocalTime time = local.toLocalTime();
      return day != DayOfWeek.SATURDAY && day != DayOfWeek.SUNDAY && !time.isBefore(starts) && time.isBefore(ends);
    }
  }

  private Signals() {}

  /** Whether the access is a named user's about a person that the monitor can count at all. */
  static boolean countable(String type, Seen seen) {
    return WATCHED.contains(type) && seen.user() != null && seen.personId() != null && seen.recorded() != null;
  }

  /** Whether something of the person's record (or a referral about them) was shown to the user. */
  public static boolean shown(String type, Seen seen) {
    return countable(type, seen) && (REFERRAL_SHARED.equals(type)
        ? seen.view() != null
        : "permitted".equals(seen.outcome()) && seen.entities() != null && !seen.entities().isEmpty());
  }

  public static List<Signal> of(String type, Seen seen, WorkingDay day) {
    List<Signal> signals = new ArrayList<>();
    if (!countable(type, seen)) {
      return signals;
    }
    boolean shown = shown(type, seen);
    if (RECORD_AUDIT.equals(type) && "denied".equals(seen.outcome()) && seen.withheldOn() != null
        && seen.withheldOn().stream().anyMatch(NO_RELATIONSHIP_REFUSALS::contains)) {
      signals.add(new Signal(Rule.NO_RELATIONSHIP, seen.personId()));
    }
    if (shown && seen.grounds() != null) {
      seen.grounds().stream().filter(g -> g.startsWith(BREAK_GLASS_GROUND)).distinct()
          .forEach(g -> signals.add(new Signal(Rule.BREAK_GLASS, g.substring(BREAK_GLASS_GROUND.length()))));
    }
    if (shown && !day.contains(seen.recorded())) {
      signals.add(new Signal(Rule.OUT_OF_HOURS, seen.personId()));
    }
    return signals;
  }
}
