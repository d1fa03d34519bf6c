package org.tellonce.platform.resilience;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.tellonce.platform.fhir.EarlyRefusal;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.OperationOutcomes;

/**
 * Load shed at the door: a service holds at most as many requests at once as its adaptive limit allows and answers the
 * next at once with 503, {@code Retry-After: 1} and a {@code throttled} OperationOutcome, before its token is checked or
 * its body read. A machine driven past what it can do then answers the requests it admitted in good time and tells
 * the rest to come back, instead of accepting everything and answering all of it after its callers have given up
 * (docs/benchmarks.md, "Footprint").
 *
 * <p>The limit is Netflix concurrency-limits' AIMD limit, bounded by how long an answer may take: each answer later
 * than {@code tellonce.http.answer-within} (2 s) lowers the limit by a tenth, and while answers come in time and the
 * requests in flight fill at least half of it, each raises it by one, between {@code tellonce.http.min-in-flight} (32)
 * and {@code tellonce.http.max-in-flight} (256). So under more load than the machine can serve the service keeps as
 * many requests as it answers within about that time and refuses the rest at once. (The gradient limit, which follows
 * latency against its own long-run average, was measured first: under sustained overload that average rose with the
 * queue and the limit settled high, answers taking 4–6 s; docs/benchmarks.md, "Footprint".) Answers that are not the
 * service's own work (5xx: a dependency away, or an exchange that did not finish) are not sampled. The health, metrics
 * and OpenAPI endpoints under {@code /q/} are never shed: a probe failing under load would have the orchestrator
 * restart a replica that is only busy.
 *
 * <p>Metrics: {@code tellonce.http.in-flight} and {@code tellonce.http.limit} (gauges), {@code tellonce.http.shed}.
 */
@ApplicationScoped
public class RequestAdmission {

  /**
   * Filter priority: ahead of CORS (300) and the authentication filter (200), so a shed request costs nothing but the
   * refusal (tokens are checked later still, where an endpoint needs the caller: proactive authentication is off).
   */
  static final int PRIORITY = 400;

  void install(@Observes Filters filters, MeterRegistry registry,
      @ConfigProperty(name = "tellonce.http.min-in-flight", defaultValue = "32") int min,
      @ConfigProperty(name = "tellonce.http.max-in-flight", defaultValue = "256") int max,
      @ConfigProperty(name = "tellonce.http.answer-within", defaultValue = "2s") Duration answerWithin) {
    if (min < 1 || max < min) {
      throw new IllegalArgumentException("tellonce.http.min-in-flight must be at least 1 and at most"
          + " tellonce.http.max-in-flight (they are " + min + " and " + max + ")");
    }
    if (answerWithin.isNegative() || answerWithin.isZero()) {
      throw new IllegalArgumentException("tellonce.http.answer-within must be a positive duration (it is "
          + answerWithin + ")");
    }
    Door door = new Door(limit(min, max, answerWithin));
    registry.gauge("tellonce.http.in-flight", door, Door::inFlight);
    registry.gauge("tellonce.http.limit", door, Door::limit);
    registry.more().counter("tellonce.http.shed", List.of(), door, Door::shed);
    filters.register(door, PRIORITY);
  }

  /** The limit: lowered by a tenth by each answer later than {@code answerWithin}, raised by one while in time. */
  static Limit limit(int min, int max, Duration answerWithin) {
    return AIMDLimit.newBuilder().minLimit(min).initialLimit(Math.min(max, 2 * min)).maxLimit(max)
        .timeout(answerWithin.toNanos(), TimeUnit.NANOSECONDS).backoffRatio(0.9).build();
  }

  /** The handler: admits a request while the limit allows and reports how its exchange ended. */
  static final class Door implements Handler<RoutingContext> {

    private final SimpleLimiter<Void> limiter;
    private final AtomicLong shed = new AtomicLong();

    Door(Limit limit) {
      limiter = SimpleLimiter.newBuilder().named("http").limit(limit).build();
    }

    int inFlight() {
      return limiter.getInflight();
    }

    int limit() {
      return limiter.getLimit();
    }

    long shed() {
      return shed.get();
    }

    @Override
    public void handle(RoutingContext context) {
      if (context.normalizedPath().startsWith("/q/")) {
        context.next();
        return;
      }
      Optional<Limiter.Listener> place = limiter.acquire(null);
      if (place.isPresent()) {
        Limiter.Listener listener = place.get();
        // called once, whether the response ends, fails or the connection closes first
        context.addEndHandler(ended -> {
          if (ended.succeeded() && context.response().getStatusCode() < 500) {
            listener.onSuccess();
          } else {
            listener.onIgnore();
          }
        });
        context.next();
        return;
      }
      shed.incrementAndGet();
      context.response().putHeader("Retry-After", FhirException.RETRY_BUSY);
      EarlyRefusal.send(context, 503, Refusal.BODY);
    }
  }

  /**
   * The refusal's body, encoded when first needed (the holder's initialisation, once): encoding it is the FHIR
   * context's first use, which scans every R4 type, and a start should not wait for that (FhirWarmUp does it once the
   * service listens).
   */
  private static final class Refusal {
    static final String BODY = Fhir.encode(OperationOutcomes.error(IssueType.THROTTLED, "The service is busy: it is"
        + " answering as many requests as it can at once. Try again in a second."));
  }
}
