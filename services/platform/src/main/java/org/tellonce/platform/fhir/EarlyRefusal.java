package org.tellonce.platform.fhir;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Ends an exchange with an OperationOutcome before the request's body has been read: the load shed at the door and the
 * refusal of a body over the size limit. An HTTP/1 body that was announced and not read is not waited for: the refusal
 * says {@code Connection: close}, and the connection is closed once the client has sent the rest of its body, or after
 * {@link #LINGER_MILLIS} or {@link #LINGER_BYTES} at most (a lingering close, as web servers do). Closing at once would
 * not do: a client still writing its body (most clients write it all before they read) has its connection reset by
 * the unread bytes and sees the reset, not the refusal. Waiting for the body without a bound would not do either: a
 * client that sends headers and then waits (or trickles its body) would hold the connection. An HTTP/2 stream ends by
 * itself, and its connection carries other requests.
 */
public final class EarlyRefusal {

  /** How long the rest of a refused body is read (and dropped) before the connection is closed regardless. */
  static final long LINGER_MILLIS = 2_000;
  /** How much of a refused body is read (and dropped) before the connection is closed regardless. */
  static final long LINGER_BYTES = 32L * 1024 * 1024;

  private EarlyRefusal() {
  }

  /**
   * Answers {@code status} with {@code outcome} (an encoded OperationOutcome) and any headers already set on the
   * response, closing an HTTP/1 connection whose body is still unread once it has been sent or the linger is over.
   */
  public static void send(RoutingContext context, int status, String outcome) {
    HttpServerRequest request = context.request();
    var response = context.response().setStatusCode(status).putHeader("Content-Type", Fhir.JSON_UTF8);
    if (request.version() != HttpVersion.HTTP_2 && carriesBody(request) && !request.isEnded()) {
      Future<Void> written = response.putHeader("Connection", "close").end(outcome);
      linger(context.vertx(), request, written);
    } else {
      response.end(outcome);
    }
  }

  /** Drops what the client still sends until its body ends, then closes; closes earlier past the linger's bounds. */
  private static void linger(Vertx vertx, HttpServerRequest request, Future<Void> written) {
    HttpConnection connection = request.connection();
    Runnable close = () -> written.onComplete(done -> connection.close());
    long timer = vertx.setTimer(LINGER_MILLIS, expired -> close.run());
    long[] dropped = {0};
    request.exceptionHandler(ignored -> vertx.cancelTimer(timer));
    request.handler(chunk -> {
      dropped[0] += chunk.length();
      if (dropped[0] > LINGER_BYTES && vertx.cancelTimer(timer)) {
        close.run();
      }
    });
    request.endHandler(ended -> {
      if (vertx.cancelTimer(timer)) {
        close.run();
      }
    });
    request.resume();
  }

  static boolean carriesBody(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    return request.getHeader("Transfer-Encoding") != null || length != null && !length.trim().equals("0");
  }
}
