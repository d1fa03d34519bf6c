package org.tellonce.platform.resilience;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Failures that may pass by themselves: the database unreachable, restarting or out of connections, a serialisation
 * conflict, a broker or a peer service away for a moment. A consumer holds its event and tries again rather than
 * dead-lettering it for a fault of ours; an HTTP caller is told 503 and when to try again, not 500.
 */
public final class Transient {

  private static final Logger LOG = Logger.getLogger(Transient.class);

  static final Duration FIRST_PAUSE = Duration.ofMillis(200);
  static final Duration LONGEST_PAUSE = Duration.ofSeconds(10);

  private Transient() {}

  /** True when the failure, or one of its causes, is one that passes without anyone doing anything. */
  public static boolean mayPass(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 20; t = t.getCause() == t ? null : t.getCause(), depth++) {
      if (t instanceof java.net.ConnectException || t instanceof java.util.concurrent.TimeoutException
          || t instanceof java.net.SocketException || t instanceof java.nio.channels.ClosedChannelException
          || t instanceof io.vertx.sqlclient.ClosedConnectionException
          || t instanceof io.vertx.core.http.HttpClosedException
          || t instanceof org.apache.kafka.common.errors.RetriableException) {
        return true;
      }
      if (t instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null) {
        String state = pg.getSqlState();
        // 08 connection exceptions, 53 insufficient resources, 57P operator intervention (shutdown, crash
        // recovery), 40001 serialisation failure, 40P01 deadlock
        if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P") || state.equals("40001")
            || state.equals("40P01")) {
          return true;
        }
      }
      // a 503 of the service's own (what a step needs is not there now: a peer, the validator's definitions): the
      // fault is not the event's, so the event waits for it rather than being refused
      if (t instanceof org.tellonce.platform.fhir.FhirException fhir && fhir.status() == 503) {
        return true;
      }
      if (t instanceof jakarta.ws.rs.WebApplicationException web && web.getResponse() != null
          && (web.getResponse().getStatus() == 502 || web.getResponse().getStatus() == 503
              || web.getResponse().getStatus() == 504)) {
        return true;
      }
      // Vert.x reports some timeouts (a pooled connection not obtained in time, for one) with no type of their own
      if ((t instanceof io.vertx.core.VertxException || t instanceof io.vertx.core.impl.NoStackTraceThrowable)
          && t.getMessage() != null) {
        String message = t.getMessage().toLowerCase();
        if (message.contains("closed") || message.contains("connection") || message.contains("timeout")) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Runs {@code work} (again, afresh, each time) until it succeeds or fails in a way that does not pass; between tries
   * it pauses, from 200 ms doubling to 10 s, on the caller's Vert.x context (so a Hibernate Reactive session opened by
   * the work stays on its thread). {@code what} names the work in the warning (never person data).
   */
  public static <T> Uni<T> untilPasses(String what, Supplier<Uni<? extends T>> work) {
    return attempt(what, work, 1);
  }

  private static <T> Uni<T> attempt(String what, Supplier<Uni<? extends T>> work, int attempt) {
    return Uni.createFrom().<T>deferred(work)
        .onFailure(Transient::mayPass).recoverWithUni(failure -> {
          Duration pause = pause(attempt);
          if (attempt == 1 || attempt % 10 == 0) {
            LOG.warnf("%s held (%s, try %d); trying again in %d ms", what, failure.getClass().getSimpleName(),
                attempt, pause.toMillis());
          }
          return sleep(pause).chain(() -> attempt(what, work, attempt + 1));
        });
  }

  /** The pause before try {@code attempt + 1}: 200 ms, doubling, at most 10 s. */
  static Duration pause(int attempt) {
    long millis = FIRST_PAUSE.toMillis() << Math.min(attempt - 1, 16);
    return millis > LONGEST_PAUSE.toMillis() ? LONGEST_PAUSE : Duration.ofMillis(millis);
  }

  private static Uni<Void> sleep(Duration pause) {
    Context context = Vertx.currentContext();
    if (context == null) {
      return Uni.createFrom().voidItem().onItem().delayIt().by(pause);
    }
    return Uni.createFrom().emitter(emitter -> context.owner().setTimer(pause.toMillis(),
        id -> context.runOnContext(ignored -> emitter.complete(null))));
  }
}
