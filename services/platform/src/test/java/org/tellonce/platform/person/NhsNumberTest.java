package org.tellonce.platform.person;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NhsNumberTest {

  @Test
  void acceptsNumbersWithTheRightCheckDigit() {
    assertThat(NhsNumber.problem("9434765919")).isNull();
    assertThat(NhsNumber.problem("4857773457")).isNull();
    assertThat(NhsNumber.problem("9400000006")).isNull();
  }

  @Test
  void acceptsCheckDigitZeroWhenTheRemainderIsZero() {
    // 100000006: weighted sum 22 = 2 * 11, so the check value 11 becomes 0
    assertThat(NhsNumber.problem("1000000060")).isNull();
    assertThat(NhsNumber.isValid("1000000061")).isFalse();
  }

  @Test
  void refusesAWrongCheckDigitAndSaysWhichItShouldBe() {
    assertThat(NhsNumber.problem("9434765918")).contains("modulus-11").contains("should be 9");
  }

  @Test
  void refusesNumbersWhoseCheckValueIsTen() {
    assertThat(NhsNumber.problem("1234567890")).contains("can never be valid");
  }

  @Test
  void refusesAnythingButTenDigits() {
    assertThat(NhsNumber.problem("943 476 5919")).contains("10 digits");
    assertThat(NhsNumber.problem("943476591")).contains("10 digits");
    assertThat(NhsNumber.problem("94347659190")).contains("10 digits");
    assertThat(NhsNumber.problem(null)).contains("10 digits");
  }
}
