package org.tellonce.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.oidc.client.OidcClient;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * For a service that calls others with its own token (client credentials): the token is taken again well before it
 * expires, not once it has. A call sent in a token's last moment reached the consent service expired, which answered
 * 401, and care-record's gate then refused a nurse's search with 503 (a benchmark at the token's 30th minute). The
 * service's test extends this as a {@code @QuarkusTest}.
 */
public abstract class ServiceTokenContract {

  @Inject protected OidcClient client;

  @Test
  void theServiceTokenIsRenewedWellBeforeItExpires() {
    Long skew = client.getTokens().await().atMost(Duration.ofSeconds(30)).getRefreshTokenTimeSkew();
    assertTrue(skew != null && skew >= 10, "renewed " + skew + " s before it expires; at least 10 s expected");
  }
}
