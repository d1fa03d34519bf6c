package org.tellonce.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** The care-record report says when reads were measured, against the access monitor's working day. */
class CareRecordBenchTest {

  private static ZonedDateTime london(String local) {
    return ZonedDateTime.parse(local + "[Europe/London]");
  }

  @Test
  void readsOnAWeekdayBetweenSevenAndSevenAreWithinTheWorkingDay() {
    assertThat(CareRecordBench.clock(london("2026-12-07T07:00:00Z")))
        .startsWith("Monday 2026-12-07 07:00 (Europe/London): within");
    assertThat(CareRecordBench.clock(london("2026-12-04T18:59:00Z"))).contains("Friday").contains(": within");
  }

  @Test
  void readsAtNightOrAtTheWeekendAreOutOfHoursSignals() {
    assertThat(CareRecordBench.clock(london("2026-12-07T06:59:00Z"))).contains(": outside")
        .contains("out-of-hours signal");
    assertThat(CareRecordBench.clock(london("2026-12-07T19:00:00Z"))).contains(": outside");
    assertThat(CareRecordBench.clock(london("2026-12-06T12:00:00Z"))).startsWith("Sunday").contains(": outside");
    // British Summer Time: 18:30 UTC in July is 19:30 in London
    assertThat(CareRecordBench.clock(ZonedDateTime.parse("2026-07-06T18:30:00Z").withZoneSameInstant(
        CareRecordBench.MONITOR_ZONE))).contains("19:30").contains(": outside");
  }
}
