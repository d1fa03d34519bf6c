package org.tellonce.carerecord.monitor;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * The inappropriate-access rules: for each, how many distinct people (or break-glass grants) within how long raise an
 * alert, and the working day outside which reads count as out of hours.
 */
@ConfigMapping(prefix = "tellonce.monitor")
public interface MonitorConfig {

  Threshold noRelationship();

  Threshold breakGlass();

  Threshold outOfHours();

  /** For namesake and colleague: {@code count} is 1; the window is how long before the same person alerts again. */
  Threshold namesake();

  Threshold colleague();

  /** Whether the namesake and colleague rules ask the person index (off only where no identity service runs). */
  boolean proximity();

  /** How long what the person index answered about a user and a person is kept before asking again. */
  Duration proximityCache();

  /** The working day, weekdays only, in {@link #zone()}. */
  LocalTime dayStarts();

  LocalTime dayEnds();

  ZoneId zone();

  /** How long counted accesses are kept (longer than every window), then pruned. */
  Duration keepSignals();

  /** An alert is raised when at least {@code count} distinct keys are seen within {@code window}. */
  interface Threshold {
    /** Ignored by the per-person rules (namesake, colleague), which alert on the first access. */
    @WithDefault("1")
    int count();

    Duration window();
  }

  default Threshold threshold(Rule rule) {
    return switch (rule) {
      case NO_RELATIONSHIP -> noRelationship();
      case BREAK_GLASS -> breakGlass();
      case OUT_OF_HOURS -> outOfHours();
      case NAMESAKE -> namesake();
      case COLLEAGUE -> colleague();
    };
  }
}
