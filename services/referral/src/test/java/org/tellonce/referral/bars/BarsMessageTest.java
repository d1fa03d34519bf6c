package org.tellonce.referral.bars;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.EventContracts;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.NhsNumbers;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/** BaRS referral messages: into the same workflow, idempotent by X-Request-ID, answered asynchronously. */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "referral_test"))
class BarsMessageTest {

  static String message(String headerId, String nhsNumber) {
    return """
        {"resourceType":"Bundle","type":"message","entry":[
          {"fullUrl":"urn:uuid:%1$s","resource":{"resourceType":"MessageHeader","id":"%1$s",
            "eventCoding":{"system":"https://fhir.nhs.uk/CodeSystem/message-events-bars","code":"servicerequest-request"},
            "source":{"endpoint":"https://ed.example.nhs.uk/bars"},
            "focus":[{"reference":"urn:uuid:11111111-2222-3333-4444-555555555555"}]}},
          {"fullUrl":"urn:uuid:11111111-2222-3333-4444-555555555555","resource":{"resourceType":"ServiceRequest",
            "status":"active","intent":"order","priority":"urgent",
            "category":[{"coding":[{"system":"https://fhir.tellonce.org/CodeSystem/service-category","code":"mental-health"}]}],
            "code":{"text":"Mental health assessment after ED attendance"},
            "subject":{"reference":"urn:uuid:66666666-7777-8888-9999-000000000000"},
            "supportingInfo":[{"reference":"urn:uuid:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","display":"ED discharge summary"}]}},
          {"fullUrl":"urn:uuid:66666666-7777-8888-9999-000000000000","resource":{"resourceType":"Patient",
            "identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"%2$s"}]}}]}
        """.formatted(headerId, nhsNumber);
  }

  static ExtractableResponse<Response> send(String requestId, String body) {
    var request = given().urlEncodingEnabled(false).auth().oauth2(Tokens.user("gp.riverside"))
        .contentType("application/fhir+json").header("X-Correlation-ID", "corr-" + UUID.randomUUID()).body(body);
    if (requestId != null) {
      request.header("X-Request-ID", requestId);
    }
    return request.post("/fhir/$process-message").then().extract();
  }

  static void registered(String personId, String nhsNumber) {
    EventProbe.publish("tellonce-test.identity.person.v1", personId, UUID.randomUUID().toString(),
        "org.tellonce.identity.person.registered.v1", """
            {"personId":"%s","version":1,"active":true,"identifiers":[{"system":"https://fhir.nhs.uk/Id/nhs-number",
             "value":"%s"}],"restricted":false,"recordedBy":"test"}""".formatted(personId, nhsNumber));
  }

  @Test
  void aBarsReferralJoinsTheWorkflowOnceHoweverOftenItIsSent() throws Exception {
    String nhs = NhsNumbers.random();
    String person = UUID.randomUUID().toString();
    String requestId = UUID.randomUUID().toString();
    String body = message(UUID.randomUUID().toString(), nhs);

    // not yet in the person index: refused, nothing kept, so the same request id can be sent again later
    ExtractableResponse<Response> unknown = send(requestId, body);
    assertThat(unknown.statusCode()).isEqualTo(422);
    assertThat(unknown.jsonPath().getString("issue[0].diagnostics")).contains("person index");

    registered(person, nhs);
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> send(requestId, body).statusCode() == 200);
    // sent again, and twice at once: still the one referral
    List<CompletableFuture<ExtractableResponse<Response>>> retries = List.of(
        CompletableFuture.supplyAsync(() -> send(requestId, body)),
        CompletableFuture.supplyAsync(() -> send(requestId, body)));
    ExtractableResponse<Response> first = send(requestId, body);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.header("X-Request-ID")).isEqualTo(requestId);
    assertThat(first.jsonPath().getString("issue[0].severity")).isEqualTo("information");
    assertThat(first.jsonPath().getString("issue[0].diagnostics")).startsWith("Already received");
    for (var retry : retries) {
      assertThat(retry.get().header("X-Referral-Task")).isEqualTo(first.header("X-Referral-Task"));
    }
    String referral = first.header("Content-Location").substring("ServiceRequest/".length());
    given().auth().oauth2(Tokens.user("gp.riverside")).get("/fhir/ServiceRequest/" + referral).then().statusCode(200)
        .body("subject.reference", equalTo("Patient/" + person))
        .body("performer[0].identifier.value", equalTo("MHT01"))
        .body("supportingInfo[0].display", equalTo("ED discharge summary"))
        .body("supportingInfo[0].reference", org.hamcrest.Matchers.nullValue());
    given().auth().oauth2(Tokens.user("gp.riverside")).get("/referrals?box=sent&_count=200").then().statusCode(200)
        .body("referrals.findAll { it.personId == '" + person + "' }.size()", equalTo(1));

    // a new message sent three times at once: one referral, the same answer to each
    String burst = UUID.randomUUID().toString();
    String burstBody = message(UUID.randomUUID().toString(), nhs);
    List<CompletableFuture<ExtractableResponse<Response>>> together = List.of(
        CompletableFuture.supplyAsync(() -> send(burst, burstBody)),
        CompletableFuture.supplyAsync(() -> send(burst, burstBody)),
        CompletableFuture.supplyAsync(() -> send(burst, burstBody)));
    List<String> tasks = new java.util.ArrayList<>();
    for (var sent : together) {
      assertThat(sent.get().statusCode()).as(sent.get().body().asString()).isEqualTo(200);
      tasks.add(sent.get().header("X-Referral-Task"));
    }
    assertThat(tasks).containsOnly(tasks.get(0));
    given().auth().oauth2(Tokens.user("gp.riverside")).get("/referrals?box=sent&_count=200").then().statusCode(200)
        .body("referrals.findAll { it.personId == '" + person + "' }.size()", equalTo(2));

    var responses = EventProbe.await("tellonce-test.referral.notification.v1", e -> person.equals(e.key())
        && "org.tellonce.referral.bars-response.v1".equals(e.header("ce_type")), 2, Duration.ofSeconds(20));
    assertThat(responses).as("one response per message taken").hasSize(2);
    assertThat(responses.get(0).data()).contains("\"requestId\":\"" + requestId + "\"")
        .contains("\"endpoint\":\"https://ed.example.nhs.uk/bars\"").contains("servicerequest-response");
    assertThat(EventContracts.problems(responses.get(0))).isEmpty();
  }

  @Test
  void aMessageItCannotTakeIsAClearError() {
    String nhs = NhsNumbers.random();
    assertThat(send(null, message(UUID.randomUUID().toString(), nhs)).statusCode()).isEqualTo(400);
    assertThat(send(UUID.randomUUID().toString(), "{\"resourceType\":\"Bundle\",\"type\":\"collection\"}").statusCode())
        .isEqualTo(400);
    ExtractableResponse<Response> wrongEvent = send(UUID.randomUUID().toString(),
        message(UUID.randomUUID().toString(), nhs).replace("servicerequest-request", "booking-request"));
    assertThat(wrongEvent.statusCode()).isEqualTo(422);
    assertThat(wrongEvent.jsonPath().getString("issue[0].diagnostics")).contains("servicerequest-request");
    assertThat(send(UUID.randomUUID().toString(), message(UUID.randomUUID().toString(), "1234567890")).statusCode())
        .isEqualTo(422);
    given().urlEncodingEnabled(false).auth().oauth2(Tokens.user("caldicott.mht")).contentType("application/fhir+json")
        .header("X-Request-ID", UUID.randomUUID().toString()).body(message(UUID.randomUUID().toString(), nhs))
        .post("/fhir/$process-message").then().statusCode(403)
        .body("resourceType", equalTo("OperationOutcome"));
    given().urlEncodingEnabled(false).auth().oauth2(Tokens.user("gp.riverside")).contentType("application/fhir+json")
        .header("X-Request-ID", "short").body(message(UUID.randomUUID().toString(), nhs))
        .post("/fhir/$process-message").then().statusCode(400).body("issue[0].diagnostics", containsString("X-Request-ID"));
  }
}
