package org.tellonce.identity.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.tellonce.identity.config.IdentityConfig;
import org.tellonce.identity.patient.Demographics;

class ScorerTest {

  /** The shipped weights (application.properties). */
  static IdentityConfig.Match config(double familyM) {
    return new IdentityConfig.Match() {
      public IdentityConfig.Field family() { return field(familyM, 0.005); }
      public IdentityConfig.Field given() { return field(0.93, 0.01); }
      public IdentityConfig.Field birthDate() { return field(0.96, 0.0001); }
      public IdentityConfig.Field gender() { return field(0.98, 0.5); }
      public IdentityConfig.Field postcode() { return field(0.80, 0.0002); }
      public double certain() { return 22; }
      public double probable() { return 17; }
      public double possible() { return 10; }
      public double nameAgree() { return 0.92; }
      public double namePartial() { return 0.85; }
      public int maxCandidates() { return 500; }
      public double certainMargin() { return 6; }
      public long frequencyMinPopulation() { return 10_000; }
      public int frequencyMinCount() { return 10; }
    };
  }

  static IdentityConfig.Field field(double m, double u) {
    return new IdentityConfig.Field() {
      public double m() { return m; }
      public double u() { return u; }
    };
  }

  final Scorer scorer = new Scorer(config(0.95));
  final LocalDate born = LocalDate.of(1948, 7, 5);
  final Demographics stored = new Demographics(null, "okonkwo", "adaeze", born, "female", "RV12AB", false);

  Demographics query(String family, String given, LocalDate date, String gender, String postcode) {
    return new Demographics(null, family, given, date, gender, postcode, false);
  }

  @Test
  void everythingAgreeingIsCertainAndScoresHighest() {
    Scorer.Result result = scorer.score(query("okonkwo", "adaeze", born, "female", "RV12AB"), stored);
    assertThat(result.grade()).isEqualTo(MatchGrade.CERTAIN);
    assertThat(result.score()).isGreaterThan(0.95).isLessThan(1.0);
  }

  @Test
  void theSameNhsNumberIsCertainAndDifferentOnesAreNeverTheSamePerson() {
    Demographics a = new Demographics("9990000018", "x", "y", null, null, null, false);
    Demographics b = new Demographics("9990000026", "okonkwo", "adaeze", born, "female", "RV12AB", false);
    assertThat(scorer.score(a, new Demographics("9990000018", null, null, null, null, null, false)).score()).isEqualTo(1.0);
    assertThat(scorer.score(b, new Demographics("9990000018", "okonkwo", "adaeze", born, "female", "RV12AB", false))
        .grade()).isEqualTo(MatchGrade.CERTAINLY_NOT);
  }

  @Test
  void toleratesTyposSwappedNamesAndTransposedDates() {
    assertThat(scorer.score(query("okonkow", "adaeze", born, "female", "RV12AB"), stored).grade())
        .isEqualTo(MatchGrade.CERTAIN);
    assertThat(scorer.score(query("adaeze", "okonkwo", born, "female", "RV12AB"), stored).grade())
        .isEqualTo(MatchGrade.CERTAIN);
    assertThat(scorer.score(query("okonkwo", "adaeze", LocalDate.of(1948, 5, 7), "female", "RV12AB"), stored).grade())
        .isEqualTo(MatchGrade.CERTAIN);
    assertThat(scorer.score(query("okonkwo", "adaeze", LocalDate.of(1984, 7, 5), "female", "RV12AB"), stored).grade())
        .isEqualTo(MatchGrade.CERTAIN);
  }

  @Test
  void movedHouseWithATransposedDateIsOnlyProbable() {
    Scorer.Result result = scorer.score(query("okonkwo", "adaeze", LocalDate.of(1948, 5, 7), "female", "LS11AA"), stored);
    assertThat(result.grade()).isEqualTo(MatchGrade.PROBABLE);
  }

  @Test
  void twinsAndHouseholdsAreNotCertain() {
    assertThat(scorer.score(query("okonkwo", "chidi", born, "female", "RV12AB"), stored).grade())
        .isNotEqualTo(MatchGrade.CERTAIN);
    assertThat(scorer.score(query("okonkwo", "emeka", LocalDate.of(1975, 2, 1), "male", "RV12AB"), stored).grade())
        .isIn(MatchGrade.POSSIBLE, MatchGrade.CERTAINLY_NOT);
  }

  @Test
  void aCommonNameIsWeakerEvidenceThanARareOne() {
    Scorer.Frequencies smithsEverywhere = new Scorer.Frequencies() {
      public double family(String value) { return "okonkwo".equals(value) ? 0.05 : 0.00001; }
      public double given(String value) { return "adaeze".equals(value) ? 0.04 : 0.00001; }
    };
    Demographics moved = query("okonkwo", "adaeze", born, "female", "LS11AA");
    assertThat(scorer.score(moved, stored).grade()).isEqualTo(MatchGrade.CERTAIN);
    assertThat(scorer.score(moved, stored, smithsEverywhere).grade()).isEqualTo(MatchGrade.PROBABLE);
    Scorer.Frequencies rare = new Scorer.Frequencies() {
      public double family(String value) { return 0.00001; }
      public double given(String value) { return 0.00001; }
    };
    Demographics movedTransposed = query("okonkwo", "adaeze", LocalDate.of(1948, 5, 7), "female", "LS11AA");
    assertThat(scorer.score(movedTransposed, stored).grade()).isEqualTo(MatchGrade.PROBABLE);
    assertThat(scorer.score(movedTransposed, stored, rare).grade()).isEqualTo(MatchGrade.CERTAIN);
  }

  @Test
  void strangersAreCertainlyNot() {
    assertThat(scorer.score(query("smith", "john", LocalDate.of(1990, 1, 1), "male", "LS11AA"), stored).grade())
        .isEqualTo(MatchGrade.CERTAINLY_NOT);
  }

  @Test
  void oneKeyboardSlipOrTheSameSoundIsAPartialAgreement() {
    assertThat(Scorer.oneSlipApart("dawson", "dawsn")).isTrue();
    assertThat(Scorer.oneSlipApart("dawson", "dawosn")).isTrue();
    assertThat(Scorer.oneSlipApart("dawson", "dwason")).isTrue();
    assertThat(Scorer.oneSlipApart("dawson", "wadson")).isFalse();
    assertThat(Scorer.oneSlipApart("day", "dy")).isFalse();
    assertThat(scorer.names("reed", "read")).isEqualTo(Scorer.Agreement.PARTIAL);
    assertThat(scorer.names("thompson", "tomson")).isNotEqualTo(Scorer.Agreement.DISAGREE);
    assertThat(scorer.names("okonkwo", "smith")).isEqualTo(Scorer.Agreement.DISAGREE);
  }

  @Test
  void transpositionRules() {
    assertThat(Scorer.transposed(born, LocalDate.of(1948, 5, 7))).isTrue();
    assertThat(Scorer.transposed(born, LocalDate.of(1984, 7, 5))).isTrue();
    assertThat(Scorer.transposed(born, LocalDate.of(1948, 7, 6))).isTrue();
    assertThat(Scorer.transposed(born, LocalDate.of(1949, 8, 5))).isFalse();
    assertThat(Scorer.transposed(born, LocalDate.of(2000, 7, 5))).isFalse();
    assertThat(PersonMatcher.likelyDates(born)).contains(born, LocalDate.of(1948, 5, 7), LocalDate.of(1984, 7, 5));
  }

  @Test
  void refusesWeightsThatMakeNoSense() {
    assertThatThrownBy(() -> new Scorer(config(0.001))).isInstanceOf(IllegalArgumentException.class);
  }
}
