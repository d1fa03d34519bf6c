package org.tellonce.referral.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CalendarTest {

  static final Calendar ENGLAND = new Calendar(Set.of(LocalDate.parse("2026-12-25"), LocalDate.parse("2026-12-28")));

  @Test
  void workingDaysSkipWeekendsAndBankHolidays() {
    // Wednesday 23 December 2026, 10:00 GMT: Thu 24, (Fri 25 holiday), (Sat, Sun), (Mon 28 holiday), Tue 29, Wed 30,
    // Thu 31, Fri 1 January
    Instant start = Instant.parse("2026-12-23T10:00:00Z");
    assertThat(ENGLAND.deadline(start, new Deadline.WorkingDays(5))).isEqualTo(Instant.parse("2027-01-01T10:00:00Z"));
  }

  @Test
  void aReferralOnAWeekendCountsFromTheNextWorkingDay() {
    Instant saturday = Instant.parse("2026-11-28T15:30:00Z");
    assertThat(ENGLAND.deadline(saturday, new Deadline.WorkingDays(1))).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
  }

  @Test
  void workingDaysKeepTheLocalTimeOfDayAcrossTheClockChange() {
    // Friday 23 October 2026 09:00 BST (08:00Z) + 5 working days = Friday 30 October 09:00 GMT (09:00Z)
    assertThat(ENGLAND.deadline(Instant.parse("2026-10-23T08:00:00Z"), new Deadline.WorkingDays(5)))
        .isEqualTo(Instant.parse("2026-10-30T09:00:00Z"));
  }

  @Test
  void elapsedTimeIsElapsedTime() {
    Instant start = Instant.parse("2026-12-24T23:30:00Z");
    assertThat(ENGLAND.deadline(start, new Deadline.Elapsed(Duration.ofHours(72))))
        .isEqualTo(Instant.parse("2026-12-27T23:30:00Z"));
  }

  @Test
  void readsTheBankHolidayFileAndRefusesABadLine() throws Exception {
    assertThat(Calendar.parse("# comment\n2026-12-25 # Christmas\n\n").bankHolidays())
        .containsExactly(LocalDate.parse("2026-12-25"));
    assertThatThrownBy(() -> Calendar.parse("2026-12-25\n25/12/2026\n"))
        .isInstanceOfSatisfying(RoutingRules.Invalid.class,
            e -> assertThat(e.problems()).containsExactly("bank-holidays.txt line 2: a date as 2026-12-25"));
  }
}
