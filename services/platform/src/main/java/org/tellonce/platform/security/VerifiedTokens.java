package org.tellonce.platform.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Bearer tokens quarkus-oidc has verified, remembered until they expire, so that a caller's next requests with the
 * same token skip the signature check and the claims' parsing (a quarter of a read's CPU): quarkus-oidc verifies a JWT
 * afresh on every request and has no such cache.
 *
 * <p>What it does not change: the token is the whole key, so only the exact string that was verified is recognised
 * (a token altered in any character is a miss, and goes to quarkus-oidc, which refuses it); only verified tokens are
 * remembered (a refusal never reaches here); an entry is used only while the token's {@code exp} is in the future and
 * for at most {@code tellonce.security.verified-tokens.max-age}; and a token revoked at Keycloak keeps working until
 * it expires, which is already so for any JWT verified locally against the realm's keys. The identity is remembered
 * without the request it came with (its routing context and blocking-call context are put back from the request that
 * presents the token), so no request's data outlives it. {@code tellonce.security.verified-tokens.max=0} turns it off.
 *
 * <p>It is an identity provider ahead of quarkus-oidc's (a miss answers nothing, and quarkus-oidc verifies), and an
 * augmentor that runs before any other and remembers what quarkus-oidc verified.
 */
@ApplicationScoped
public class VerifiedTokens implements IdentityProvider<TokenAuthenticationRequest> {

  /** Marks an identity answered from memory (it is not remembered again). */
  static final String REMEMBERED = "org.tellonce.security.verified-token.remembered";
  private static final String ROUTING_CONTEXT = RoutingContext.class.getName();
  private static final String BLOCKING_CONTEXT = AuthenticationRequestContext.class.getName();

  private final Cache<String, SecurityIdentity> verified;
  private final Duration maxAge;
  private final Supplier<Instant> clock;
  private final Counter hits;
  private final Counter misses;

  @Inject
  public VerifiedTokens(@ConfigProperty(name = "tellonce.security.verified-tokens.max", defaultValue = "10000") int max,
      @ConfigProperty(name = "tellonce.security.verified-tokens.max-age", defaultValue = "PT5M") Duration maxAge,
      MeterRegistry registry) {
    this(max, maxAge, Instant::now, registry);
  }

  VerifiedTokens(int max, Duration maxAge, Supplier<Instant> clock, MeterRegistry registry) {
    this.maxAge = maxAge;
    this.clock = clock;
    this.verified = Caffeine.newBuilder().maximumSize(Math.max(max, 0)).expireAfter(new Expiry<String,
        SecurityIdentity>() {
      @Override
      public long expireAfterCreate(String token, SecurityIdentity identity, long now) {
        return usableFor(identity).toNanos();
      }

      @Override
      public long expireAfterUpdate(String token, SecurityIdentity identity, long now, long current) {
        return usableFor(identity).toNanos();
      }

      @Override
      public long expireAfterRead(String token, SecurityIdentity identity, long now, long current) {
        return current;
      }
    }).build();
    this.hits = Counter.builder("tellonce.security.verified.tokens").tag("outcome", "remembered")
        .description("Bearer tokens recognised as verified before, and not verified again").register(registry);
    this.misses = Counter.builder("tellonce.security.verified.tokens").tag("outcome", "verified")
        .description("Bearer tokens handed to quarkus-oidc to verify").register(registry);
  }

  @Override
  public Class<TokenAuthenticationRequest> getRequestType() {
    return TokenAuthenticationRequest.class;
  }

  /** Ahead of quarkus-oidc's provider (the default priority). */
  @Override
  public int priority() {
    return IdentityProvider.super.priority() + 1000;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
    SecurityIdentity known = recall(request.getToken().getToken());
    if (known == null) {
      misses.increment();
      return Uni.createFrom().nullItem();
    }
    hits.increment();
    RoutingContext routing = HttpSecurityUtils.getRoutingContextAttribute(request);
    QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder(known)
        .addAttribute(ROUTING_CONTEXT, routing)
        .addAttribute(BLOCKING_CONTEXT, routing == null ? null : routing.get(BLOCKING_CONTEXT));
    return Uni.createFrom().item(identity.build());
  }

  /** The identity a token was verified as, while it may still be used; null otherwise. */
  SecurityIdentity recall(String token) {
    if (token == null) {
      return null;
    }
    SecurityIdentity known = verified.getIfPresent(token);
    if (known == null || usableFor(known).isZero()) {
      return null;
    }
    return known;
  }

  /**
   * Remembers an identity quarkus-oidc verified from a bearer JWT, without the request it came with, and with the
   * claims its actor is made of (read once: {@link ActorClaims}).
   */
  void remember(SecurityIdentity identity) {
    AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
    if (identity.isAnonymous() || identity.getAttribute(REMEMBERED) != null || credential == null
        || credential.getToken() == null || !(identity.getPrincipal() instanceof JsonWebToken)
        || usableFor(identity).isZero()) {
      return;
    }
    verified.put(credential.getToken(), QuarkusSecurityIdentity.builder(identity)
        .addAttribute(ROUTING_CONTEXT, null)
        .addAttribute(BLOCKING_CONTEXT, null)
        .addAttribute(REMEMBERED, Boolean.TRUE)
        .addAttribute(ActorClaims.ATTRIBUTE, ActorClaims.of((JsonWebToken) identity.getPrincipal()))
        .build());
  }

  /** How much longer an identity may be answered from memory: until its token expires, and at most the max age. */
  private Duration usableFor(SecurityIdentity identity) {
    if (!(identity.getPrincipal() instanceof JsonWebToken token) || token.getExpirationTime() <= 0) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(clock.get(), Instant.ofEpochSecond(token.getExpirationTime()));
    return left.isNegative() ? Duration.ZERO : left.compareTo(maxAge) < 0 ? left : maxAge;
  }

  /** Remembers what quarkus-oidc verified: runs before every other augmentor, on the identity as it was verified. */
  @ApplicationScoped
  public static class Remember implements SecurityIdentityAugmentor {

    @Inject VerifiedTokens tokens;

    @Override
    public int priority() {
      return Integer.MAX_VALUE;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
      tokens.remember(identity);
      return Uni.createFrom().item(identity);
    }
  }
}
