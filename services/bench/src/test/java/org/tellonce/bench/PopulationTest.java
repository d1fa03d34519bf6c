package org.tellonce.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tellonce.bench.Population.Person;

class PopulationTest {

  final Population population = new Population(1);

  @Test
  void aPersonIsAlwaysTheSame() {
    assertThat(population.person(42)).isEqualTo(population.person(42));
    assertThat(population.person(42)).isNotEqualTo(population.person(43));
  }

  @Test
  void nhsNumbersAreValidAndUnique() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      String nhs = Population.nhsNumber(i);
      assertThat(nhs).hasSize(10).startsWith("99");
      int sum = 0;
      for (int d = 0; d < 9; d++) {
        sum += (nhs.charAt(d) - '0') * (10 - d);
      }
      assertThat((11 - sum % 11) % 11).isEqualTo(nhs.charAt(9) - '0');
      assertThat(seen.add(nhs)).isTrue();
    }
  }

  @Test
  void namesAndPostcodesLookLikeEnglandAndCommonNamesAreCommon() {
    int smiths = 0;
    for (int i = 0; i < 10_000; i++) {
      Person p = population.person(i);
      assertThat(p.postcode()).matches("[A-Z]{1,2}\\d{1,2} \\d[A-Z]{2}");
      if (p.family().equals("Smith")) {
        smiths++;
      }
    }
    assertThat(smiths).isBetween(50, 400);
  }

  @Test
  void duplicatesAreCorruptedWithoutIdentifiers() {
    for (int i = 0; i < 1000; i++) {
      Corruption.Duplicate dup = Corruption.of(population.person(i), 7);
      assertThat(dup.record().nhsNumber()).isNull();
      assertThat(dup.record().councilId()).isNull();
      assertThat(dup.kinds()).isNotEmpty();
      assertThat(dup.record()).isNotEqualTo(dup.truth());
    }
  }
}
