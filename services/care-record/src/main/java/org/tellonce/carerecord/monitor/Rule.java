package org.tellonce.carerecord.monitor;

import java.util.Arrays;
import java.util.Optional;

/** The inappropriate-access rules over the audit stream, each with the words its alerts use. */
public enum Rule {
  /** Records the user was refused for want of a legitimate relationship, across many people. */
  NO_RELATIONSHIP("no-relationship", "was refused the records of %d people for want of a legitimate relationship"),
  /** Break-glass used again and again: distinct grants whose access the user exercised. */
  BREAK_GLASS("repeated-break-glass", "read records under %d different break-glass grants"),
  /** Many people's records opened outside the working day. */
  OUT_OF_HOURS("out-of-hours", "opened the records of %d people out of hours"),
  /** The record of someone who shares the user's family name (one alert per person within the window). */
  NAMESAKE("namesake", "opened the record of someone who shares their family name"),
  /** The record of a colleague at the user's own organisation (one alert per person within the window). */
  COLLEAGUE("colleague", "opened the record of a colleague at their own organisation");

  public final String code;
  private final String words;

  Rule(String code, String words) {
    this.code = code;
    this.words = words;
  }

  String describe(int count) {
    return words.formatted(count);
  }

  /** A rule about one person at a time: each person alerts once within the window, whoever else was opened. */
  boolean perPerson() {
    return this == NAMESAKE || this == COLLEAGUE;
  }

  public static Optional<Rule> of(String code) {
    return Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst();
  }
}
