package org.tellonce.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/** What the benchmarks share: real tokens from the local Keycloak, an HTTP client, and latency percentiles. */
final class BenchSupport {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private BenchSupport() {}

  /**
   * Client libraries log at INFO and above. Without a configuration the JBoss log manager (the bench's SLF4J binding,
   * through its Quarkus dependencies) enables every level, and the Kafka producer then formats each record it sends
   * for a trace line nobody sees: in the council measure that took about 40 % of the harness's CPU, on the cores the
   * measured services share. Call first in every harness's main.
   */
  static void quietLogging() {
    org.jboss.logmanager.LogContext.getLogContext().getLogger("").setLevel(java.util.logging.Level.INFO);
  }

  /** A client-credentials token of a tellonce service client (local secrets of deploy/keycloak). */
  static String serviceToken(String keycloak, String service) throws IOException, InterruptedException {
    return token(keycloak, "grant_type=client_credentials&client_id=tellonce-" + service + "&client_secret="
        + URLEncoder.encode(System.getProperty("bench.client-secret." + service, "local-" + service + "-secret"),
            StandardCharsets.UTF_8));
  }

  /** A demo user's token (password grant of the frontline app). */
  static String userToken(String keycloak, String username) throws IOException, InterruptedException {
    return token(keycloak, "grant_type=password&client_id=tellonce-app&username=" + username + "&password=demo");
  }

  private static String token(String keycloak, String form) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
            URI.create(keycloak + "/realms/tellonce/protocol/openid-connect/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("no token from Keycloak: " + response.statusCode());
    }
    return JSON.readTree(response.body()).path("access_token").asText();
  }

  /**
   * Sends a request as the token's holder (a body as FHIR JSON, or plain JSON to consent's /agreements) and answers
   * the response body read as JSON; any status but those {@code accepted} fails, naming the method, the path (ids and
   * query left out) and the start of the answer.
   */
  static com.fasterxml.jackson.databind.JsonNode send(String token, String method, String url, String body,
      int... accepted) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token);
    if (body != null) {
      request.header("Content-Type", url.endsWith("/agreements") ? "application/json" : "application/fhir+json");
    }
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (Arrays.stream(accepted).noneMatch(status -> status == response.statusCode())) {
      throw new IllegalStateException(method + " " + url.replaceAll("\\?.*", "").replaceAll("/[0-9a-f-]{36}", "/{id}")
          + " answered " + response.statusCode() + ": "
          + response.body().substring(0, Math.min(300, response.body().length())));
    }
    return JSON.readTree(response.body());
  }

  /** p50 / p95 / p99 / max of the latencies (nanoseconds), in milliseconds. */
  static String millis(long[] nanos) {
    long[] sorted = sorted(nanos);
    return "%.1f / %.1f / %.1f / %.1f ms".formatted(percentile(sorted, 50), percentile(sorted, 95),
        percentile(sorted, 99), sorted[sorted.length - 1] / 1e6);
  }

  /** A sorted copy of the latencies, for {@link #percentile}. */
  static long[] sorted(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted;
  }

  /** The p-th percentile of sorted latencies (nanoseconds), in milliseconds (nearest rank). */
  static double percentile(long[] sorted, double p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }

  /** Creates the bench database unless it is there (a name of the bench's own, never user input). */
  static void createDatabase(String postgres, String database) throws java.sql.SQLException {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(postgres + "postgres", "postgres", "");
         java.sql.Statement s = c.createStatement();
         java.sql.ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + database + "'")) {
      if (!rs.next()) {
        s.execute("create database " + database);
        System.out.println("created database " + database);
      }
    }
  }

  static String row(String measure, String value) {
    return "| " + measure + " | " + value + " |\n";
  }
}
