package org.tellonce.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

/** What is remembered of a verified token, and for how long. */
class VerifiedTokensTest {

  static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  final AtomicReference<Instant> clock = new AtomicReference<>(NOW);
  final VerifiedTokens tokens = new VerifiedTokens(100, Duration.ofMinutes(5), clock::get, new SimpleMeterRegistry());

  /** A principal as quarkus-oidc makes it from a JWT, expiring at {@code exp}. */
  static JsonWebToken jwt(String subject, Instant exp) {
    return new JsonWebToken() {
      @Override
      public String getName() {
        return subject;
      }

      @Override
      public Set<String> getClaimNames() {
        return Set.of("sub", "exp");
      }

      @Override
      @SuppressWarnings("unchecked")
      public <T> T getClaim(String claim) {
        return (T) switch (claim) {
          case "sub" -> subject;
          case "exp" -> (Object) exp.getEpochSecond();
          default -> null;
        };
      }
    };
  }

  /** A staff member's token as the realm issues it, counting how often its claims are read. */
  static JsonWebToken staffJwt(Instant exp, AtomicInteger reads) {
    return new JsonWebToken() {
      @Override
      public String getName() {
        return "nurse.mht";
      }

      @Override
      public Set<String> getClaimNames() {
        return Set.of("sub", "exp", "preferred_username", "org", "practitioner_role");
      }

      @Override
      @SuppressWarnings("unchecked")
      public <T> T getClaim(String claim) {
        reads.incrementAndGet();
        return (T) switch (claim) {
          case "sub" -> "f3a1";
          case "exp" -> (Object) exp.getEpochSecond();
          case "preferred_username" -> "nurse.mht";
          case "org" -> "MHT01";
          case "practitioner_role" -> "PractitionerRole/nurse-mht";
          default -> null;
        };
      }
    };
  }

  static SecurityIdentity verified(String token, Instant exp) {
    return QuarkusSecurityIdentity.builder()
        .setPrincipal(jwt("nurse", exp))
        .addCredential(new AccessTokenCredential(token))
        .addRole("clinician")
        .addAttribute(RoutingContext.class.getName(), "the request it came with")
        .build();
  }

  @Test
  void aVerifiedTokenIsRecalledWithItsRolesButNotTheRequestItCameWith() {
    tokens.remember(verified("token-a", NOW.plusSeconds(300)));
    SecurityIdentity recalled = tokens.recall("token-a");
    assertThat(recalled.getPrincipal().getName()).isEqualTo("nurse");
    assertThat(recalled.getRoles()).containsExactly("clinician");
    assertThat(recalled.getCredential(AccessTokenCredential.class).getToken()).isEqualTo("token-a");
    assertThat((Object) recalled.getAttribute(RoutingContext.class.getName())).isNull();
    // only the exact string: another token, or one differing in a character, is not recognised
    assertThat(tokens.recall("token-b")).isNull();
    assertThat(tokens.recall("token-A")).isNull();
    assertThat(tokens.recall(null)).isNull();
  }

  @Test
  void theClaimsAnActorIsMadeOfAreReadOnceAndRecalledWithTheIdentity() {
    AtomicInteger reads = new AtomicInteger();
    JsonWebToken jwt = staffJwt(NOW.plusSeconds(300), reads);
    SecurityIdentity identity = QuarkusSecurityIdentity.builder().setPrincipal(jwt)
        .addCredential(new AccessTokenCredential("token-a")).addRole("clinician").build();
    Actor expected = new Actor("f3a1", "nurse.mht", "MHT01", Set.of("clinician"), "PractitionerRole/nurse-mht");
    // not remembered (the first request with a token, or the memory turned off): read from the token
    assertThat(CurrentActor.of(identity, jwt)).isEqualTo(expected);

    tokens.remember(identity);
    SecurityIdentity recalled = tokens.recall("token-a");
    int readsOnceRemembered = reads.get();
    assertThat(CurrentActor.of(recalled, jwt)).isEqualTo(expected);
    assertThat(CurrentActor.of(recalled, jwt)).isEqualTo(expected);
    assertThat(reads.get()).isEqualTo(readsOnceRemembered);
  }

  @Test
  void aTokenIsNotRecalledOnceItHasExpired() {
    tokens.remember(verified("token-a", NOW.plusSeconds(60)));
    clock.set(NOW.plusSeconds(59));
    assertThat(tokens.recall("token-a")).isNotNull();
    clock.set(NOW.plusSeconds(60));
    assertThat(tokens.recall("token-a")).isNull();
  }

  @Test
  void anExpiredTokenOrAnIdentityWithoutABearerJwtIsNotRemembered() {
    tokens.remember(verified("expired", NOW.minusSeconds(1)));
    assertThat(tokens.recall("expired")).isNull();
    tokens.remember(QuarkusSecurityIdentity.builder().setPrincipal(() -> "someone")
        .addCredential(new AccessTokenCredential("not-a-jwt-identity")).build());
    assertThat(tokens.recall("not-a-jwt-identity")).isNull();
  }
}
