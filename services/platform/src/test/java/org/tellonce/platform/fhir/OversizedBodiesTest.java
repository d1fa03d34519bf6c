package org.tellonce.platform.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A body that declares itself over the limit is refused before it is read, with an OperationOutcome naming the limit,
 * and its connection is closed rather than left waiting for the body (over real HTTP, raw sockets).
 */
class OversizedBodiesTest {

  private static final long LIMIT = 1024;

  private final Vertx vertx = Vertx.vertx();
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    Router router = Router.router(vertx);
    new OversizedBodies().install(router, new MemorySize(BigInteger.valueOf(LIMIT)));
    router.post("/fhir/Patient").handler(BodyHandler.create())
        .handler(context -> context.response().setStatusCode(201).end("stored " + context.body().length()));
    server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

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

  @Test
  void anOversizedBodyIsRefusedUnreadAndItsConnectionClosed() throws Exception {
    // headers only: the body announced is never sent; the answer must come, and the connection end, without it
    String answer = exchange("POST /fhir/Patient HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/fhir+json\r\n"
        + "Content-Length: " + (LIMIT + 1) + "\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close")
        .contains("\"code\":\"too-long\"").contains("larger than the 1 KB a request may carry");
  }

  @Test
  void aClientThatWritesItsWholeBodyBeforeReadingStillGetsTheRefusal() throws Exception {
    // as most HTTP clients do; far more than the sockets' buffers hold, so the server must read it to be heard
    byte[] body = new byte[16 * 1024 * 1024];
    Arrays.fill(body, (byte) 'x');
    String answer = exchange(("POST /fhir/Patient HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/fhir+json\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), body);
    assertThat(answer).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close")
        .contains("larger than the 1 KB a request may carry");
  }

  @Test
  void aClientThatNeverStopsSendingIsCutOff() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /fhir/Patient HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10000000000\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[64 * 1024];
      long sent = 0;
      IOException cutOff = null;
      try {
        while (sent < 10L * EarlyRefusal.LINGER_BYTES) {
          out.write(chunk);
          sent += chunk.length;
        }
      } catch (IOException e) {
        cutOff = e;
      }
      assertThat(cutOff).as("the connection is closed on a client that goes on sending (%d bytes sent)", sent)
          .isNotNull();
      assertThat(sent).isLessThan(10L * EarlyRefusal.LINGER_BYTES);
    }
  }

  @Test
  void aBodyWithinTheLimitIsRead() throws Exception {
    String body = "{\"resourceType\":\"Patient\"}";
    String answer = exchange("POST /fhir/Patient HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/fhir+json\r\n"
        + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
    assertThat(answer).startsWith("HTTP/1.1 201").endsWith("stored " + body.length());
  }

  /** Sends raw bytes and reads until the server closes the connection (or fails after 10 s of silence). */
  private String exchange(String request) throws Exception {
    return exchange(request.getBytes(StandardCharsets.US_ASCII));
  }

  /** Writes each part in turn, all of them before reading, then reads as {@link #exchange(String)}. */
  private String exchange(byte[]... parts) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      for (byte[] part : parts) {
        out.write(part);
      }
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
