package org.tellonce.testing;

import java.util.concurrent.ThreadLocalRandom;

/** Synthetic NHS numbers for tests, with a correct modulus-11 check digit, in the 999 range kept for test data. */
public final class NhsNumbers {

  private NhsNumbers() {}

  public static String random() {
    while (true) {
      StringBuilder digits = new StringBuilder("999");
      for (int i = 0; i < 6; i++) {
        digits.append(ThreadLocalRandom.current().nextInt(10));
      }
      int sum = 0;
      for (int i = 0; i < 9; i++) {
        sum += (digits.charAt(i) - '0') * (10 - i);
      }
      int check = (11 - sum % 11) % 11;
      if (check != 10) {
        return digits.append(check).toString();
      }
    }
  }
}
