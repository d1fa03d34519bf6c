package org.tellonce.referral.referral;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "referral_test"))
class ReferralResourceTest {

  static String referral(String personId, String category) {
    String categories = category == null ? "" : """
        "category":[{"coding":[{"system":"https://tellonce.org/CodeSystem/referral-category","code":"%s"}]}],
        """.formatted(category);
    return """
        {"resourceType":"ServiceRequest","status":"active","intent":"order","priority":"urgent",%s
         "code":{"text":"Assessment"},"subject":{"reference":"Patient/%s"}}
        """.formatted(categories, personId);
  }

  static ExtractableResponse<Response> send(String user, String body) {
    return given().auth().oauth2(Tokens.user(user))
        .contentType("application/fhir+json")
        .body(body)
        .post("/fhir/ServiceRequest")
        .then().extract();
  }

  @Test
  void routesAReferralByCategoryAndOpensItsTask() {
    String person = UUID.randomUUID().toString();
    ExtractableResponse<Response> created = send("gp.riverside", referral(person, "mental-health"));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.jsonPath().getString("performer[0].identifier.value")).isEqualTo("MHT01");
    assertThat(created.jsonPath().getString("requester.identifier.value")).isEqualTo("GPP01");
    String referralId = created.jsonPath().getString("id");
    String task = created.header("X-Referral-Task");

    given().auth().oauth2(Tokens.user("nurse.mht"))
        .get("/fhir/" + task)
        .then().statusCode(200)
        .body("status", equalTo("requested"))
        .body("priority", equalTo("urgent"))
        .body("owner.identifier.value", equalTo("MHT01"))
        .body("focus.reference", equalTo("ServiceRequest/" + referralId));
    given().auth().oauth2(Tokens.user("gp.riverside"))
        .get("/fhir/Task?focus=ServiceRequest/" + referralId)
        .then().statusCode(200)
        .body("entry.size()", equalTo(1));

    var events = EventProbe.await("tellonce-test.referral.v1", e -> person.equals(e.key()), 1, Duration.ofSeconds(20));
    assertThat(events).hasSize(1);
    assertThat(events.get(0).data()).contains("\"recipientOrganization\":\"MHT01\"")
        .contains("\"routingRule\":\"v1:mental-health\"");
  }

  @Test
  void aReferralWithNoMatchingRuleReachesTheSinglePointOfAccess() {
    ExtractableResponse<Response> created = send("worker.vcse", referral(UUID.randomUUID().toString(), null));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.jsonPath().getString("performer[0].identifier.value")).isEqualTo("LA001");
  }

  @Test
  void onlyTheOrganisationsOfAReferralMaySeeIt() {
    String id = send("gp.riverside", referral(UUID.randomUUID().toString(), "mental-health")).jsonPath().getString("id");
    given().auth().oauth2(Tokens.user("nurse.mht")).get("/fhir/ServiceRequest/" + id).then().statusCode(200);
    given().auth().oauth2(Tokens.user("sw.council")).get("/fhir/ServiceRequest/" + id).then().statusCode(404)
        .body("issue[0].code", equalTo("not-found"));
  }

  @Test
  void withoutAnAnswerFromTheConsentServiceTheReceiverSeesTheMinimalReferral() throws Exception {
    // the module tests run without the consent service: fail closed
    String person = UUID.randomUUID().toString();
    String body = referral(person, "mental-health").replace("\"code\":{\"text\":\"Assessment\"}",
        "\"code\":{\"text\":\"Assessment of low mood\"},\"reasonCode\":[{\"text\":\"Bereavement\"}]");
    ExtractableResponse<Response> created = send("gp.riverside", body);
    String id = created.jsonPath().getString("id");
    given().auth().oauth2(Tokens.user("nurse.mht")).get("/fhir/ServiceRequest/" + id)
        .then().statusCode(200)
        .body("priority", equalTo("urgent"))
        .body("subject.reference", equalTo("Patient/" + person))
        .body("code", nullValue())
        .body("reasonCode", nullValue())
        .body("meta.security.code", hasItem("REDACTED"))
        .body(not(containsString("Bereavement")));
    given().auth().oauth2(Tokens.user("gp.riverside")).get("/fhir/ServiceRequest/" + id)
        .then().statusCode(200).body("code.text", equalTo("Assessment of low mood"));
    // unavailable is not a refusal: the referrer is not asked to obtain consent
    given().auth().oauth2(Tokens.user("gp.riverside")).get("/fhir/Task?focus=ServiceRequest/" + id)
        .then().statusCode(200).body("entry.size()", equalTo(1));
    var shared = EventProbe.await("tellonce-test.audit.v1", e -> person.equals(e.key())
        && "org.tellonce.referral.shared.v1".equals(e.header("ce_type")), 1, Duration.ofSeconds(20));
    assertThat(shared).hasSize(1);
    assertThat(shared.get(0).data()).contains("\"view\":\"minimal\"").contains("\"because\":\"consent-unavailable\"")
        .contains("\"user\":\"nurse.mht\"").doesNotContain("Bereavement");
    assertThat(org.tellonce.testing.EventContracts.problems(shared.get(0))).isEmpty();
  }

  @Test
  void aPlainJsonReferralIsRoutedAndMovedLikeAFhirOne() {
    String person = UUID.randomUUID().toString();
    ExtractableResponse<Response> created = given().auth().oauth2(Tokens.user("sw.council"))
        .contentType("application/json")
        .body("{\"personId\":\"" + person + "\",\"categories\":[\"mental-health\"],\"priority\":\"urgent\","
            + "\"description\":\"Needs a mental-health assessment\",\"reasons\":[\"Low mood\"]}")
        .post("/referrals").then().extract();
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.header("Location")).contains("/referrals/" + created.jsonPath().getString("id"));
    assertThat(created.jsonPath().getString("recipientOrganization")).isEqualTo("MHT01");
    assertThat(created.jsonPath().getString("routingRule")).isEqualTo("v1:mental-health");
    assertThat(created.jsonPath().getList("deadlines.kind")).containsExactly("response");
    given().auth().oauth2(Tokens.user("sw.council")).get("/fhir/ServiceRequest/" + created.jsonPath().getString("id"))
        .then().statusCode(200).body("code.text", equalTo("Needs a mental-health assessment"))
        .body("reasonCode[0].text", equalTo("Low mood"));
    // open referrals by status, for the partnership dashboards
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> given().get("/q/metrics").asString()
        .lines().anyMatch(line -> line.startsWith("tellonce_referral_open{status=\"requested\"}")
            && !line.endsWith(" 0.0")));
    for (String wrong : List.of("{\"personId\":\"" + person + "\"}",
        "{\"personId\":\"" + person + "\",\"categories\":[\"crisis\"],\"priority\":\"soon\"}",
        "{\"categories\":[\"crisis\"]}")) {
      given().auth().oauth2(Tokens.user("sw.council")).contentType("application/json").body(wrong).post("/referrals")
          .then().statusCode(400).body("resourceType", equalTo("OperationOutcome"));
    }
  }

  @Test
  void aSelfReferralIsRecordedByTheSinglePointOfAccess() {
    String person = UUID.randomUUID().toString();
    String self = referral(person, "housing").replace("\"subject\"",
        "\"requester\":{\"reference\":\"Patient/" + person + "\"},\"subject\"");
    ExtractableResponse<Response> recorded = send("sw.council", self);
    assertThat(recorded.statusCode()).isEqualTo(201);
    assertThat(recorded.jsonPath().getString("requester.reference")).isEqualTo("Patient/" + person);
    given().auth().oauth2(Tokens.user("sw.council")).get("/fhir/" + recorded.header("X-Referral-Task"))
        .then().statusCode(200).body("requester.reference", equalTo("Patient/" + person));
    ExtractableResponse<Response> elsewhere = send("gp.riverside", self);
    assertThat(elsewhere.statusCode()).isEqualTo(403);
    assertThat(elsewhere.jsonPath().getString("issue[0].diagnostics")).contains("single point of access");
    assertThat(send("sw.council", self.replace("\"requester\":{\"reference\":\"Patient/" + person,
        "\"requester\":{\"reference\":\"Patient/" + UUID.randomUUID())).statusCode()).isEqualTo(422);
  }

  @Test
  void refusesAReferralWithoutItsPersonWith422() {
    ExtractableResponse<Response> refused = send("gp.riverside",
        "{\"resourceType\":\"ServiceRequest\",\"status\":\"active\",\"intent\":\"order\",\"subject\":{\"display\":\"x\"}}");
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.jsonPath().getString("issue[0].diagnostics")).contains("ServiceRequest.subject");
  }

  @Test
  void refusesACompletedReferralAsNew() {
    String body = referral(UUID.randomUUID().toString(), null).replace("\"status\":\"active\"", "\"status\":\"completed\"");
    given().auth().oauth2(Tokens.user("gp.riverside")).contentType("application/fhir+json").body(body)
        .post("/fhir/ServiceRequest")
        .then().statusCode(422).body("issue[0].diagnostics", containsString("completed"));
  }

  @Test
  void aPrivacyOfficerCannotReferWith403() {
    given().auth().oauth2(Tokens.user("caldicott.mht")).contentType("application/fhir+json")
        .body(referral(UUID.randomUUID().toString(), null))
        .post("/fhir/ServiceRequest")
        .then().statusCode(403).body("resourceType", equalTo("OperationOutcome"));
  }
}
