package org.tellonce.platform.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The refusal of a body over the limit names the limit as configured, and only a declared length over it counts. */
class OversizedBodiesTest {

  @Test
  void theRefusalNamesTheConfiguredLimit() {
    assertThat(OversizedBodies.tooLarge(2L * 1024 * 1024)).contains("larger than the 2 MB a request may carry")
        .contains("\"code\":\"too-long\"");
    assertThat(OversizedBodies.tooLarge(512L * 1024)).contains("the 512 KB a request");
    assertThat(OversizedBodies.size(1000)).isEqualTo("1000 bytes");
    assertThat(OversizedBodies.size(3L * 1024 * 1024 + 1024)).isEqualTo("3073 KB");
  }

  @Test
  void onlyADeclaredLengthOverTheLimitIsRefused() {
    assertThat(OversizedBodies.declaredOver("2097153", 2097152)).isTrue();
    assertThat(OversizedBodies.declaredOver(" 2097152 ", 2097152)).isFalse();
    assertThat(OversizedBodies.declaredOver("not a number", 10)).isFalse();
  }
}
