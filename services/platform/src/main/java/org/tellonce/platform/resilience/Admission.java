package org.tellonce.platform.resilience;

import io.smallrye.mutiny.Uni;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.tellonce.platform.fhir.FhirException;

/**
 * Admission control for calls to a service this one depends on: at most {@code limit} in flight at once. A call beyond
 * the limit is refused at once ({@link FhirException#busy}: 503 with Retry-After) instead of queueing behind the
 * others until every caller's timeout has passed. Under overload the dependency then keeps answering the calls it
 * admitted in good time, and the load shed is told to come back, rather than every request failing slowly.
 */
public final class Admission {

  private final String dependency;
  private final int limit;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();

  /** {@code limit} must be at least 1 (a dependency no call may reach is a configuration mistake, refused here). */
  public Admission(String dependency, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("The limit of calls in flight to " + dependency + " must be at least 1");
    }
    this.dependency = dependency;
    this.limit = limit;
  }

  /**
   * Runs the call if there is room, holding its place until it ends (answer, failure or cancellation); otherwise
   * fails at once with a 503 that asks the caller to retry after a second.
   */
  public <T> Uni<T> admit(Supplier<Uni<T>> call) {
    return Uni.createFrom().<T>deferred(() -> {
      if (inFlight.incrementAndGet() > limit) {
        inFlight.decrementAndGet();
        refused.incrementAndGet();
        return Uni.createFrom().<T>failure(FhirException.busy("The service is busy: too many requests are waiting for the "
            + dependency + " service. Try again in a second."));
      }
      return Uni.createFrom().<T>deferred(call::get).onTermination().invoke(inFlight::decrementAndGet);
    });
  }

  /** The calls now in flight. */
  public int inFlight() {
    return inFlight.get();
  }

  /** The calls refused since start. */
  public long refused() {
    return refused.get();
  }
}
