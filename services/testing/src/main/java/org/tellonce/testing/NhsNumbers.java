package org.tellonce.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Synthetic NHS numbers for tests, with a correct modulus-11 check digit, in the 999 range kept for test data.
 *
 * <p>That range holds only about 909,000 valid numbers, so random draws repeat sooner than one might think (a JVM
 * drawing 300 repeats one in about one run in twenty): one JVM never hands out the same number twice, so a test that
 * registers a person to get a new one is not linked by chance to a person registered earlier in the same run. (A
 * number may still be held in a long-lived store from an earlier run: the system tests check the index first.)
 */
public final class NhsNumbers {

  private static final Set<String> ISSUED = ConcurrentHashMap.newKeySet();

  private NhsNumbers() {}

  public static String random() {
    while (true) {
      String number = draw();
      if (ISSUED.add(number)) {
        return number;
      }
    }
  }

  private static String draw() {
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
