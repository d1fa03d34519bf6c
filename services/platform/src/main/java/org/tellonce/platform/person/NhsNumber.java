package org.tellonce.platform.person;

/** The NHS number: ten digits, the last a modulus-11 check digit over the first nine. */
public final class NhsNumber {

  public static final String SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";

  private NhsNumber() {}

  /** Why the value is not a valid NHS number, or null when it is. Never echoes the value (it identifies a person). */
  public static String problem(String value) {
    if (value == null || !value.matches("\\d{10}")) {
      return "An NHS number must be exactly 10 digits, without spaces";
    }
    int sum = 0;
    for (int i = 0; i < 9; i++) {
      sum += (value.charAt(i) - '0') * (10 - i);
    }
    int check = 11 - (sum % 11);
    if (check == 11) {
      check = 0;
    }
    if (check == 10) {
      return "This NHS number can never be valid: its first nine digits give check value 10";
    }
    if (check != value.charAt(9) - '0') {
      return "The NHS number fails its modulus-11 check: the last digit should be " + check
          + "; it was probably mistyped";
    }
    return null;
  }

  public static boolean isValid(String value) {
    return problem(value) == null;
  }
}
