package org.tellonce.system;

import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CONSUMER;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_PRODUCER;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.SharingAgreements;
import org.tellonce.testing.Tokens;

/**
 * One trace follows a caller's request through the services: over HTTP (W3C traceparent in, REST clients out) and
 * over Kafka, where the event carries the trace of the request that caused it (CloudEvents ce_traceparent) even though
 * the outbox relay sends it later, and the consumer's span joins that trace. The services export their spans over OTLP
 * to a collector this test runs.
 */
class TracingIT {

  static TraceCollector collector;

  @BeforeAll
  static void collect() throws Exception {
    collector = new TraceCollector();
    SharingAgreements.ensure(Services.CONSENT);
  }

  @AfterAll
  static void stop() {
    collector.close();
  }

  static String hex(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  /** A sampled W3C traceparent in a new trace, as an EHR's integration engine would send. */
  static String traceparent(String traceId) {
    return "00-" + traceId + "-" + hex(8) + "-01";
  }

  @Test
  void aCareTeamChangeAndARecordReadAreEachOneTraceAcrossHttpAndKafka() {
    String personId = People.register("nurse.mht", "Traced", "Tia", "1966-03-14");

    // a care team recorded in identity, in the caller's trace: the event and everything that consumes it follow
    String careTeamTrace = hex(16);
    given().auth().oauth2(Tokens.user("nurse.mht")).baseUri(Services.IDENTITY).contentType("application/fhir+json")
        .header("traceparent", traceparent(careTeamTrace))
        .body("""
            {"resourceType":"CareTeam","status":"active","subject":{"reference":"Patient/%s"},
             "participant":[{"member":{"identifier":{"system":"%s","value":"MHT01"}}}]}
            """.formatted(personId, People.ODS))
        .post("/fhir/CareTeam").then().statusCode(201);
    List<EventProbe.Event> careTeams = EventProbe.await(Services.TOPIC_PREFIX + "identity.careteam.v1",
        event -> personId.equals(event.key()), 1, Duration.ofSeconds(30));
    assertThat(careTeams).hasSize(1);
    assertThat(careTeams.get(0).header("ce_traceparent")).as("the event names the request that caused it")
        .startsWith("00-" + careTeamTrace + "-");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      assertThat(collector.has(careTeamTrace, "identity", SPAN_KIND_SERVER)).as("identity's request").isTrue();
      assertThat(collector.has(careTeamTrace, "identity", SPAN_KIND_PRODUCER)).as("identity's send").isTrue();
      assertThat(collector.has(careTeamTrace, "consent", SPAN_KIND_CONSUMER)).as("consent's receipt").isTrue();
      assertThat(collector.has(careTeamTrace, "referral", SPAN_KIND_CONSUMER)).as("referral's receipt")
          .isTrue();
    });

    // a read of the record: care-record asks consent in the same trace, and its audit event carries it
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> "PERMIT".equals(People.decide(personId, "MHT01")));
    String allergyId = given().auth().oauth2(Tokens.user("nurse.mht")).baseUri(Services.CARE_RECORD)
        .contentType("application/fhir+json").body("""
            {"resourceType":"AllergyIntolerance","code":{"text":"Latex"},"patient":{"reference":"Patient/%s"},
             "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
             "code":"active"}]}}
            """.formatted(personId))
        .post("/fhir/AllergyIntolerance").then().statusCode(201).extract().path("id");
    String readTrace = hex(16);
    given().auth().oauth2(Tokens.user("nurse.mht")).baseUri(Services.CARE_RECORD)
        .header("traceparent", traceparent(readTrace))
        .get("/fhir/AllergyIntolerance/" + allergyId).then().statusCode(200);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      assertThat(collector.has(readTrace, "care-record", SPAN_KIND_SERVER)).as("the read").isTrue();
      assertThat(collector.trace(readTrace)).as("care-record's question to consent").anyMatch(span ->
          span.service().equals("care-record") && span.kind() == SPAN_KIND_CLIENT && span.name().startsWith("POST"));
      assertThat(collector.has(readTrace, "consent", SPAN_KIND_SERVER)).as("the decision, in %s",
          collector.trace(readTrace)).isTrue();
    });
    List<EventProbe.Event> audits = EventProbe.await(Services.TOPIC_PREFIX + "audit.v1",
        event -> personId.equals(event.key()) && String.valueOf(event.header("ce_traceparent"))
            .startsWith("00-" + readTrace + "-"), 1, Duration.ofSeconds(30));
    assertThat(audits).as("the read's audit entry, in the read's trace").isNotEmpty();
  }

  @Test
  void aSearchByNhsNumberLeavesNoPersonDataInTheSpans() {
    String nhsNumber = People.nhsNumber();
    given().auth().oauth2(Tokens.user("nurse.mht")).baseUri(Services.IDENTITY).contentType("application/fhir+json")
        .body("""
            {"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"%s"}],
             "name":[{"family":"Spanless","given":["Sol"]}],"birthDate":"1950-08-21"}
            """.formatted(nhsNumber))
        .post("/fhir/Patient").then().statusCode(201);
    String searchTrace = hex(16);
    given().auth().oauth2(Tokens.user("nurse.mht")).baseUri(Services.IDENTITY)
        .header("traceparent", traceparent(searchTrace))
        .get("/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|" + nhsNumber + "&family=Spanless")
        .then().statusCode(200);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> collector.has(searchTrace, "identity", SPAN_KIND_SERVER));
    assertThat(collector.trace(searchTrace)).isNotEmpty().allSatisfy(span -> assertThat(span.values())
        .as("attributes of %s", span.name()).noneMatch(value -> value.contains(nhsNumber) || value.contains("Spanless")));
  }
}
