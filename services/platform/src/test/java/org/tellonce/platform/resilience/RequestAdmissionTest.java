package org.tellonce.platform.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.netflix.concurrency.limits.limit.FixedLimit;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The door over real HTTP (a Vert.x server with the handler where Quarkus puts its filters): requests past the limit are
 * refused at once with a throttled OperationOutcome, places come back however an exchange ends (answered or the client
 * gone), and the endpoints under /q/ are never shed.
 */
class RequestAdmissionTest {

  private static final int LIMIT = 2;

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final LinkedBlockingQueue<RoutingContext> held = new LinkedBlockingQueue<>();
  private RequestAdmission.Door door;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    door = new RequestAdmission.Door(FixedLimit.of(LIMIT));
    Router router = Router.router(vertx);
    router.route().order(-RequestAdmission.PRIORITY).handler(door);
    router.route("/q/health/ready").handler(context -> context.response().end("UP"));
    router.route("/slow").handler(held::add);  // answered only when the test says so
    router.route("/fast").handler(context -> context.response().end("done"));
    server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void refusesPastTheLimitAtOnceAndAdmitsAgainWhenPlacesAreFree() throws Exception {
    CompletableFuture<HttpResponse<String>> first = send("GET", "/slow", null);
    CompletableFuture<HttpResponse<String>> second = send("GET", "/slow", null);
    RoutingContext one = held.poll(10, TimeUnit.SECONDS);
    RoutingContext two = held.poll(10, TimeUnit.SECONDS);
    assertThat(two).isNotNull();
    assertThat(door.inFlight()).isEqualTo(LIMIT);

    HttpResponse<String> refused = send("GET", "/fast", null).get(10, TimeUnit.SECONDS);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/fhir+json;charset=UTF-8");
    assertThat(refused.headers().firstValue("Connection")).isEmpty();  // no body: the connection is kept
    assertThat(refused.body()).contains("\"resourceType\":\"OperationOutcome\"").contains("\"code\":\"throttled\"")
        .contains("Try again in a second");
    assertThat(door.shed()).isEqualTo(1);

    HttpResponse<String> write = send("POST", "/fast", "{\"resourceType\":\"Patient\"}").get(10, TimeUnit.SECONDS);
    assertThat(write.statusCode()).isEqualTo(503);

    // probes are answered while the service is full
    HttpResponse<String> probe = send("GET", "/q/health/ready", null).get(10, TimeUnit.SECONDS);
    assertThat(probe.statusCode()).isEqualTo(200);
    assertThat(door.inFlight()).isEqualTo(LIMIT);

    one.response().end("answered");
    two.response().end("answered");
    assertThat(first.get(10, TimeUnit.SECONDS).body()).isEqualTo("answered");
    assertThat(second.get(10, TimeUnit.SECONDS).body()).isEqualTo("answered");
    await().atMost(Duration.ofSeconds(10)).until(() -> door.inFlight() == 0);

    assertThat(send("GET", "/fast", null).get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(door.inFlight()).isZero();
    assertThat(door.shed()).isEqualTo(2);
  }

  @Test
  void aClientThatLeavesGivesItsPlaceBack() throws Exception {
    for (int round = 0; round < 5; round++) {
      try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
        OutputStream out = socket.getOutputStream();
        out.write("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(held.poll(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(door.inFlight()).isEqualTo(1);
      }  // closed before any answer
      await().atMost(Duration.ofSeconds(10)).until(() -> door.inFlight() == 0);
    }
    assertThat(send("GET", "/fast", null).get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void aRefusedRequestWithAnUnreadBodyClosesItsConnection() throws Exception {
    send("GET", "/slow", null);
    send("GET", "/slow", null);
    held.poll(10, TimeUnit.SECONDS);
    assertThat(held.poll(10, TimeUnit.SECONDS)).isNotNull();
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      // headers only: the body announced is never sent, and the refusal must not wait for it
      out.write(("POST /fast HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/fhir+json\r\n"
          + "Content-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);  // ends when the server closes
      assertThat(answer).startsWith("HTTP/1.1 503").containsIgnoringCase("connection: close").contains("throttled");
    }
  }

  @Test
  void answersLaterThanTheBoundLowerTheLimitAndAnswersInTimeRaiseItAgain() throws Exception {
    // the limit as the services build it: from 2 × min, a tenth off per late answer, one more per answer in time
    door = new RequestAdmission.Door(RequestAdmission.limit(2, 10, Duration.ofSeconds(1)));
    Router router = Router.router(vertx);
    router.route().order(-RequestAdmission.PRIORITY).handler(door);
    router.route("/slow").handler(held::add);
    HttpServer own = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(door.limit()).isEqualTo(4);

    CompletableFuture<HttpResponse<String>> late = send(own, "/slow");
    RoutingContext slow = held.poll(10, TimeUnit.SECONDS);
    Thread.sleep(1_200);
    slow.response().end("late");
    assertThat(late.get(10, TimeUnit.SECONDS).body()).isEqualTo("late");
    await().atMost(Duration.ofSeconds(10)).until(() -> door.limit() == 3);  // 4 × 0.9

    // two at once answered in time: the second came in with the limit at least half used, so it grows by one
    CompletableFuture<HttpResponse<String>> first = send(own, "/slow");
    CompletableFuture<HttpResponse<String>> second = send(own, "/slow");
    RoutingContext one = held.poll(10, TimeUnit.SECONDS);
    RoutingContext two = held.poll(10, TimeUnit.SECONDS);
    assertThat(door.inFlight()).isEqualTo(2);
    one.response().end("in time");
    two.response().end("in time");
    assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(second.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> door.inFlight() == 0);
    assertThat(door.limit()).isEqualTo(4);
  }

  private CompletableFuture<HttpResponse<String>> send(HttpServer target, String path) {
    return send(target, "GET", path, null);
  }

  private CompletableFuture<HttpResponse<String>> send(String method, String path, String body) {
    return send(server, method, path, body);
  }

  private CompletableFuture<HttpResponse<String>> send(HttpServer target, String method, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.actualPort() + path))
        .timeout(Duration.ofSeconds(20));
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
