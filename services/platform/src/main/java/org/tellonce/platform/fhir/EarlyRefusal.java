package org.tellonce.platform.fhir;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Ends an exchange with an OperationOutcome before the request's body has been read: the load shed at the door and the
 * refusal of a body over the size limit. An HTTP/1 body that was announced and not read is not waited for: the refusal
 * says {@code Connection: close} and the connection is closed once it is written. The header alone would not do: Vert.x
 * keeps the connection while an announced body is still unread, so a client that sends headers and then waits (or
 * trickles its body) would hold it. An HTTP/2 stream ends by itself, and its connection carries other requests.
 */
public final class EarlyRefusal {

  private EarlyRefusal() {
  }

  /**
   * Answers {@code status} with {@code outcome} (an encoded OperationOutcome) and any headers already set on the
   * response, closing an HTTP/1 connection whose body is still unread.
   */
  public static void send(RoutingContext context, int status, String outcome) {
    HttpServerRequest request = context.request();
    var response = context.response().setStatusCode(status).putHeader("Content-Type", Fhir.JSON_UTF8);
    if (request.version() != HttpVersion.HTTP_2 && carriesBody(request) && !request.isEnded()) {
      response.putHeader("Connection", "close").end(outcome).onComplete(written -> request.connection().close());
    } else {
      response.end(outcome);
    }
  }

  static boolean carriesBody(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    return request.getHeader("Transfer-Encoding") != null || length != null && !length.trim().equals("0");
  }
}
