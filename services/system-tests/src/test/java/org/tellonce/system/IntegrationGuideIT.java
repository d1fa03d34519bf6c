package org.tellonce.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.EventContracts;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.SharingAgreements;
import org.tellonce.testing.Tokens;

/**
 * Runs every example of docs/integration-guide.md, in order, against the running services: each fenced block after a
 * {@code <!-- run … -->}, {@code <!-- publish … -->} or {@code <!-- event … -->} comment is sent, published or checked
 * as the comment says. The guide cannot promise what the services do not do.
 */
class IntegrationGuideIT {

  static final Path GUIDE = Path.of(System.getProperty("tellonce.docs", "../../docs"), "integration-guide.md");
  static final Pattern STEP = Pattern.compile("^<!-- (run|publish|event) (.*?) ?-->$");
  static final Pattern VARIABLE = Pattern.compile("\\{\\{(\\w+)}}");
  static final String KEYCLOAK = "http://127.0.0.1:" + System.getenv().getOrDefault("TELLONCE_KEYCLOAK_PORT", "18080");

  /** One example: its kind, the comment's settings, the block's text and the line it starts on. */
  record Example(String kind, Map<String, String> settings, String text, int line) {
    String where() {
      return "docs/integration-guide.md line " + line;
    }
  }

  final Map<String, String> values = new HashMap<>();

  static List<Example> examples(List<String> lines) {
    List<Example> examples = new java.util.ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher step = STEP.matcher(lines.get(i).trim());
      if (!step.matches()) {
        continue;
      }
      Map<String, String> settings = new LinkedHashMap<>();
      for (String setting : step.group(2).trim().split("\\s+")) {
        String[] parts = setting.split("=", 2);
        settings.put(parts[0], parts.length == 2 ? parts[1] : "");
      }
      int open = i + 1;
      assertThat(lines.get(open)).as("line %d: a fenced block follows the comment", open + 1).startsWith("```");
      int close = open + 1;
      while (!lines.get(close).startsWith("```")) {
        close++;
      }
      examples.add(new Example(step.group(1), settings, String.join("\n", lines.subList(open + 1, close)), open + 2));
      i = close;
    }
    return examples;
  }

  String fill(String text, Example example) {
    Matcher variable = VARIABLE.matcher(text);
    StringBuilder filled = new StringBuilder();
    while (variable.find()) {
      String value = values.get(variable.group(1));
      assertThat(value).as("%s: {{%s}} is known by then", example.where(), variable.group(1)).isNotNull();
      variable.appendReplacement(filled, Matcher.quoteReplacement(value));
    }
    return variable.appendTail(filled).toString();
  }

  /** Header lines ("name: value") up to the first blank line, and what follows it. */
  static Map.Entry<Map<String, String>, String> headersAndBody(List<String> lines) {
    Map<String, String> headers = new LinkedHashMap<>();
    int i = 0;
    while (i < lines.size() && !lines.get(i).isBlank()) {
      String[] header = lines.get(i).split(":\\s*", 2);
      headers.put(header[0], header[1]);
      i++;
    }
    return Map.entry(headers, i < lines.size() ? String.join("\n", lines.subList(i + 1, lines.size())) : "");
  }

  static String baseUri(String service) {
    return switch (service) {
      case "identity" -> Services.IDENTITY;
      case "consent" -> Services.CONSENT;
      case "care-record" -> Services.CARE_RECORD;
      case "referral" -> Services.REFERRAL;
      case "keycloak" -> KEYCLOAK;
      default -> throw new IllegalArgumentException("no service " + service);
    };
  }

  /** Sends a run example once; answers why it did not do what the guide says, or null when it did. */
  String attempt(Example example) {
    List<String> lines = fill(example.text(), example).lines().toList();
    String[] request = lines.get(0).split(" ", 2);
    var headersAndBody = headersAndBody(lines.subList(1, lines.size()));
    RequestSpecification spec = given().baseUri(baseUri(example.settings().get("service"))).urlEncodingEnabled(false);
    if (example.settings().containsKey("user")) {
      spec.auth().oauth2(Tokens.user(example.settings().get("user")));
    }
    headersAndBody.getKey().forEach((name, value) -> {
      if (name.equalsIgnoreCase("Content-Type")) {
        spec.contentType(value);
      } else {
        spec.header(name, value);
      }
    });
    if (!headersAndBody.getValue().isBlank()) {
      spec.body(headersAndBody.getValue());
    }
    Response response = spec.request(request[0], request[1].replace("|", "%7C"));
    String body = response.asString();
    if (response.statusCode() != Integer.parseInt(example.settings().get("status"))) {
      return "status " + response.statusCode() + ": " + body;
    }
    String expect = example.settings().get("expect");
    if (expect != null) {
      String[] parts = expect.split(":", 2);
      String wanted = values.getOrDefault(parts[1], parts[1]);
      String found = String.valueOf(response.jsonPath().getString(parts[0]));
      if (!wanted.equals(found)) {
        return parts[0] + " is " + found + ", not " + wanted + ": " + body;
      }
    }
    String keep = example.settings().get("keep");
    if (keep != null) {
      String[] parts = keep.split(":", 2);
      values.put(parts[0], response.jsonPath().getString(parts[1]));
    }
    return null;
  }

  void run(Example example) {
    if (example.settings().containsKey("retry")) {
      // what crosses Kafka (a care team reaching the decision point, a council event) takes a moment
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> assertThat(attempt(example)).as(example.where()).isNull());
    } else {
      assertThat(attempt(example)).as(example.where()).isNull();
    }
  }

  void publish(Example example) {
    var headersAndBody = headersAndBody(fill(example.text(), example).lines().toList());
    Map<String, String> headers = headersAndBody.getKey();
    EventProbe.publish(Services.TOPIC_PREFIX + example.settings().get("topic"),
        values.get(example.settings().get("key")), headers.get("ce_id"), headers.get("ce_type"),
        headers.get("ce_source"), headersAndBody.getValue());
  }

  void event(Example example) throws Exception {
    var headersAndBody = headersAndBody(fill(example.text(), example).lines().toList());
    Map<String, String> headers = new HashMap<>(headersAndBody.getKey());
    String key = headers.remove("key");
    String topic = Services.TOPIC_PREFIX + example.settings().get("topic");
    EventProbe.Event shown = new EventProbe.Event(topic, key, headers, headersAndBody.getValue());
    assertThat(EventContracts.problems(shown)).as(example.where() + ": the example keeps the contract").isEmpty();
    // the person registered in the guide was announced the same way
    List<EventProbe.Event> sent = EventProbe.await(topic, event -> values.get("personId").equals(event.key())
        && headers.get("ce_type").equals(event.header("ce_type")), 1, Duration.ofSeconds(30));
    assertThat(sent).as(example.where() + ": the event the guide's person caused").isNotEmpty();
    assertThat(EventContracts.problems(sent.get(0))).isEmpty();
    assertThat(sent.get(0).headers()).as(example.where()).containsKeys(headers.keySet().toArray(String[]::new));
    var json = JsonMapper.builder().build();
    assertThat(json.readTree(sent.get(0).data()).path("identifiers").toString())
        .contains(values.get("nhsNumber"));
  }

  @Test
  void everyExampleOfTheIntegrationGuideDoesWhatItSays() throws Exception {
    SharingAgreements.ensure(Services.CONSENT);
    values.put("nhsNumber", People.nhsNumber());
    values.put("runId", UUID.randomUUID().toString().substring(0, 8));
    List<Example> examples = examples(Files.readAllLines(GUIDE));
    assertThat(examples).extracting(Example::kind).contains("run", "publish", "event");
    assertThat(examples.size()).isGreaterThanOrEqualTo(14);
    for (Example example : examples) {
      switch (example.kind()) {
        case "run" -> run(example);
        case "publish" -> publish(example);
        default -> event(example);
      }
    }
  }
}
