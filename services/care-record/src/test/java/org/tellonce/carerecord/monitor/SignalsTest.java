package org.tellonce.carerecord.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tellonce.carerecord.monitor.Signals.Seen;
import org.tellonce.carerecord.monitor.Signals.Signal;

/** Which audited accesses each inappropriate-access rule counts. */
class SignalsTest {

  static final Signals.WorkingDay DAY = new Signals.WorkingDay(LocalTime.of(7, 0), LocalTime.of(19, 0),
      ZoneId.of("Europe/London"));
  /** Wednesday 2 December 2026, 10:00 in London (GMT). */
  static final Instant WEEKDAY = Instant.parse("2026-12-02T10:00:00Z");
  /** Wednesday 2 December 2026, 23:30 in London. */
  static final Instant NIGHT = Instant.parse("2026-12-02T23:30:00Z");

  static Seen read(String outcome, List<String> grounds, List<String> withheldOn, Instant at) {
    return new Seen("p1", "nurse.mht", "MHT01", outcome, outcome.equals("permitted") ? List.of("Condition/c1")
        : List.of(), grounds, withheldOn, null, at);
  }

  @Test
  void aRefusalForWantOfARelationshipCountsThePersonButAnObjectionDoesNot() {
    assertThat(Signals.of(Signals.RECORD_AUDIT, read("denied", null,
        List.of("policy/no-legitimate-relationship"), WEEKDAY), DAY))
        .containsExactly(new Signal(Rule.NO_RELATIONSHIP, "p1"));
    assertThat(Signals.of(Signals.RECORD_AUDIT, read("denied", null, List.of("policy/no-agreement"), WEEKDAY), DAY))
        .containsExactly(new Signal(Rule.NO_RELATIONSHIP, "p1"));
    // the person's own refusal, or a sensitivity rule, is no sign of snooping
    assertThat(Signals.of(Signals.RECORD_AUDIT, read("denied", null, List.of("Consent/c9"), WEEKDAY), DAY)).isEmpty();
    assertThat(Signals.of(Signals.RECORD_AUDIT, read("denied", null, List.of("policy/restricted-label"), WEEKDAY),
        DAY)).isEmpty();
  }

  @Test
  void aDisclosureUnderBreakGlassCountsItsGrant() {
    assertThat(Signals.of(Signals.RECORD_AUDIT, read("permitted", List.of("break-glass/g7", "policy/direct-care"),
        null, WEEKDAY), DAY)).containsExactly(new Signal(Rule.BREAK_GLASS, "g7"));
    // a break-glass ground on a read that showed nothing counts nothing
    Seen nothingShown = new Seen("p1", "nurse.mht", "MHT01", "permitted", List.of(), List.of("break-glass/g7"), null,
        null, WEEKDAY);
    assertThat(Signals.of(Signals.RECORD_AUDIT, nothingShown, DAY)).isEmpty();
  }

  @Test
  void outOfHoursIsBeforeTheDayAfterItAndAtWeekendsInLondonTime() {
    assertThat(Signals.of(Signals.RECORD_AUDIT, read("permitted", List.of("policy/direct-care"), null, NIGHT), DAY))
        .containsExactly(new Signal(Rule.OUT_OF_HOURS, "p1"));
    // 06:30 UTC in July is 07:30 in London (BST): within the day
    assertThat(Signals.of(Signals.RECORD_AUDIT, read("permitted", List.of("policy/direct-care"), null,
        Instant.parse("2026-07-01T06:30:00Z")), DAY)).isEmpty();
    // Saturday noon
    assertThat(Signals.of(Signals.RECORD_AUDIT, read("permitted", List.of("policy/direct-care"), null,
        Instant.parse("2026-12-05T12:00:00Z")), DAY)).containsExactly(new Signal(Rule.OUT_OF_HOURS, "p1"));
    // 19:00 is already out of hours; a denial out of hours shows nothing
    assertThat(Signals.of(Signals.RECORD_AUDIT, read("permitted", List.of("policy/direct-care"), null,
        Instant.parse("2026-12-02T19:00:00Z")), DAY)).hasSize(1);
    assertThat(Signals.of(Signals.RECORD_AUDIT, read("denied", null, List.of("Consent/c9"), NIGHT), DAY)).isEmpty();
  }

  @Test
  void aReferralShownToItsReceiverIsARead() {
    Seen shared = new Seen("p1", "sw.council", "LA001", null, null, null, null, "minimal", NIGHT);
    assertThat(Signals.of(Signals.REFERRAL_SHARED, shared, DAY)).containsExactly(new Signal(Rule.OUT_OF_HOURS, "p1"));
  }

  @Test
  void servicesAccessesToNobodyAndOtherEventsCountNothing() {
    Seen byService = new Seen("p1", null, null, "denied", List.of(), null, List.of("policy/no-agreement"), null,
        NIGHT);
    Seen aboutNobody = new Seen(null, "nurse.mht", "MHT01", "denied", List.of(), null,
        List.of("policy/no-agreement"), null, NIGHT);
    assertThat(Signals.of(Signals.RECORD_AUDIT, byService, DAY)).isEmpty();
    assertThat(Signals.of(Signals.RECORD_AUDIT, aboutNobody, DAY)).isEmpty();
    assertThat(Signals.of("org.tellonce.consent.disclosure.v1", read("denied", null,
        List.of("policy/no-agreement"), NIGHT), DAY)).isEmpty();
  }
}
