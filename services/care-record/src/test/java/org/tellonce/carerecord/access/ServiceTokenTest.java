package org.tellonce.carerecord.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.TellonceInfra;

/**
 * The service's own token (client credentials, for its calls to the consent and identity services) is taken again
 * before it expires, not once it has: a call sent in its last milliseconds reached the consent service expired, which
 * answered 401, and care-record's gate then refused a nurse's search with 503 (a benchmark at the token's 30th minute).
 */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "care_record_test"))
class ServiceTokenTest {

  @Inject OidcClient client;

  @Test
  void theServiceTokenIsRenewedWellBeforeItExpires() {
    assertThat(client.getTokens().await().atMost(Duration.ofSeconds(30)).getRefreshTokenTimeSkew())
        .isGreaterThanOrEqualTo(10L);
  }
}
