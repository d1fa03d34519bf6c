package org.tellonce.bench;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tellonce.bench.Population.Person;

/**
 * How another organisation's record of the same person goes wrong: a typo in a name, names swapped, a transposed birth
 * date, a move of house, and no NHS number (the council and the charity often do not have it). Each duplicate has the
 * NHS number and council id taken away and one or two further corruptions, chosen by a seeded random.
 */
public final class Corruption {

  public enum Kind { FAMILY_TYPO, GIVEN_TYPO, SWAPPED_NAMES, TRANSPOSED_DATE, MOVED }

  private Corruption() {}

  public record Duplicate(Person record, Person truth, List<Kind> kinds) {}

  public static Duplicate of(Person truth, long seed) {
    SplittableRandom random = new SplittableRandom(seed ^ (truth.index() * 0x9E3779B97F4A7C15L));
    Kind[] all = Kind.values();
    List<Kind> kinds = new ArrayList<>();
    kinds.add(all[random.nextInt(all.length)]);
    if (random.nextInt(100) < 40) {
      Kind second = all[random.nextInt(all.length)];
      if (!kinds.contains(second)) {
        kinds.add(second);
      }
    }
    String family = truth.family();
    String given = truth.given();
    LocalDate born = truth.birthDate();
    String postcode = truth.postcode();
    String line = truth.line();
    for (Kind kind : kinds) {
      switch (kind) {
        case FAMILY_TYPO -> family = typo(family, random);
        case GIVEN_TYPO -> given = typo(given, random);
        case SWAPPED_NAMES -> {
          String swap = family;
          family = given;
          given = swap;
        }
        case TRANSPOSED_DATE -> born = transpose(born, random);
        case MOVED -> {
          postcode = Population.postcode(random.nextInt(Population.POSTCODES));
          line = (1 + random.nextInt(180)) + " " + Population.STREETS[random.nextInt(Population.STREETS.length)];
        }
        default -> throw new IllegalStateException();
      }
    }
    Person record = new Person(truth.index(), null, null, null, family, given, born, truth.gender(), postcode, line);
    return new Duplicate(record, truth, kinds);
  }

  /** One keyboard slip: a letter dropped, doubled, replaced or two letters swapped (never the first letter). */
  static String typo(String name, SplittableRandom random) {
    if (name.length() < 4) {
      return name + name.charAt(name.length() - 1);
    }
    int at = 1 + random.nextInt(name.length() - 2);
    StringBuilder s = new StringBuilder(name);
    switch (random.nextInt(4)) {
      case 0 -> s.deleteCharAt(at);
      case 1 -> s.insert(at, s.charAt(at));
      case 2 -> s.setCharAt(at, (char) ('a' + random.nextInt(26)));
      default -> {
        char c = s.charAt(at);
        s.setCharAt(at, s.charAt(at + 1));
        s.setCharAt(at + 1, c);
      }
    }
    return s.toString();
  }

  /** Day and month swapped where both are possible, otherwise two adjacent digits of the day or year swapped. */
  static LocalDate transpose(LocalDate date, SplittableRandom random) {
    if (date.getDayOfMonth() <= 12 && date.getDayOfMonth() != date.getMonthValue() && random.nextBoolean()) {
      return LocalDate.of(date.getYear(), date.getDayOfMonth(), date.getMonthValue());
    }
    int day = date.getDayOfMonth();
    int swappedDay = (day % 10) * 10 + day / 10;
    if (swappedDay != day && swappedDay >= 1 && swappedDay <= date.lengthOfMonth()) {
      return date.withDayOfMonth(swappedDay);
    }
    int year = date.getYear();
    int swappedYear = year / 100 * 100 + (year % 10) * 10 + (year / 10) % 10;
    if (swappedYear != year && swappedYear <= 2024 && swappedYear >= 1900) {
      return LocalDate.of(swappedYear, date.getMonthValue(), Math.min(day, LocalDate.of(swappedYear,
          date.getMonthValue(), 1).lengthOfMonth()));
    }
    return date.plusDays(1);
  }
}
