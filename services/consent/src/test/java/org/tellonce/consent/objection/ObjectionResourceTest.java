package org.tellonce.consent.objection;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tellonce.consent.decision.DecisionResourceTestAccess;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/** Objections to sharing for direct care: enforced while pending, then upheld or overridden with a reason. */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "consent_test"))
public class ObjectionResourceTest {

  static final String OVERRIDE_REASON = "Serious risk of harm to a child: safeguarding duty outweighs the objection";

  public static String record(String person, String body) {
    return given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json").body(body)
        .post("/fhir/Consent").then().statusCode(201).extract().path("id");
  }

  public static ValidatableResponse review(String user, String consentId, String outcome, String reason) {
    return given().auth().oauth2(Tokens.user(user)).contentType("application/json")
        .body("{\"outcome\":\"%s\",\"reason\":\"%s\"}".formatted(outcome, reason))
        .post("/objections/" + consentId + "/reviews").then();
  }

  @Test
  void anObjectionIsEnforcedWhilePendingAndAnOverrideIsExplainedUntilThePersonChangesIt() {
    String person = UUID.randomUUID().toString();
    DecisionResourceTestAccess.careTeam(person, "MHT01", "LA001");
    String consentId = record(person, DecisionResourceTestAccess.objection(person, "LA001"));

    DecisionResourceTestAccess.decide(person, "LA001")
        .body("decisions[0].decision", equalTo("DENY"))
        .body("decisions[0].reasons[0].text", containsString("enforced while a senior clinician or privacy officer"));
    given().auth().oauth2(Tokens.user("caldicott.mht"))
        .get("/objections?patient=Patient/" + person)
        .then().statusCode(200)
        .body("consent", hasItem("Consent/" + consentId))
        .body("[0].status", equalTo("pending"));

    // only a senior clinician or privacy officer reviews, and says why
    review("sw.council", consentId, "overridden", OVERRIDE_REASON).statusCode(403);
    review("gp.riverside", consentId, "overridden", "because").statusCode(422)
        .body("issue[0].diagnostics", containsString("reason"));
    review("gp.riverside", consentId, "ignored", OVERRIDE_REASON).statusCode(400);
    long before = DecisionResourceTestAccess.decide(person, "LA001").extract().jsonPath().getLong("revision");

    review("gp.riverside", consentId, "overridden", OVERRIDE_REASON).statusCode(200)
        .body("status", equalTo("overridden"))
        .body("reviews[0].reviewer", equalTo("gp.riverside"))
        .body("reviews[0].role", equalTo("senior-clinician"))
        .body("reviews[0].organization", equalTo("GPP01"));
    ValidatableResponse shared = DecisionResourceTestAccess.decide(person, "LA001")
        .body("decisions[0].decision", equalTo("PERMIT"))
        .body("decisions[0].reasons[0].source", equalTo("objection-override/" + consentId))
        .body("decisions[0].reasons[0].text", containsString(OVERRIDE_REASON))
        .body("decisions[0].obligations", hasItem("audit"));
    assertThat(shared.extract().jsonPath().getLong("revision")).isGreaterThan(before);
    var events = EventProbe.await("tellonce-test.consent.v1",
        e -> person.equals(e.key()) && e.data().contains("\"overridden\""), 1, Duration.ofSeconds(20));
    assertThat(events.get(0).data()).contains("\"consentId\":\"" + consentId + "\"");
    assertThat(queue("overridden", person)).containsExactly("Consent/" + consentId);
    assertThat(queue("pending", person)).isEmpty();

    // the person restates their objection: a new version, pending again, enforced again
    given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json")
        .body(DecisionResourceTestAccess.objection(person, "LA001"))
        .put("/fhir/Consent/" + consentId).then().statusCode(200);
    DecisionResourceTestAccess.decide(person, "LA001").body("decisions[0].decision", equalTo("DENY"));
    given().auth().oauth2(Tokens.user("caldicott.mht")).get("/objections/" + consentId)
        .then().statusCode(200)
        .body("status", equalTo("pending"))
        .body("version", equalTo(2))
        .body("reviews[0].consentVersion", equalTo(1));
    assertThat(queue("pending", person)).containsExactly("Consent/" + consentId);
    assertThat(queue("overridden", person)).isEmpty();

    review("caldicott.mht", consentId, "upheld", "Discussed with the person, who understands the risks").statusCode(200);
    DecisionResourceTestAccess.decide(person, "LA001")
        .body("decisions[0].decision", equalTo("DENY"))
        .body("decisions[0].reasons[0].text", containsString("upheld by caldicott.mht (privacy officer, MHT01)"));
    given().auth().oauth2(Tokens.user("caldicott.mht")).get("/objections?status=pending&patient=" + person)
        .then().statusCode(200).body("consent", not(hasItem("Consent/" + consentId)));
    assertThat(queue("upheld", person)).containsExactly("Consent/" + consentId);
  }

  @Test
  void activeObjectionsAreCountedByStatusForThePartnershipDashboard() {
    String person = UUID.randomUUID().toString();
    record(person, DecisionResourceTestAccess.objection(person, "LA001"));
    // re-counted every second in tests: this objection is pending, and every status is served (0 when none)
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> objections("pending") >= 1);
    assertThat(objections("upheld")).isNotNegative();
    assertThat(objections("overridden")).isNotNegative();
  }

  /** The gauge's value for a status, or -1 when it is not served. */
  static long objections(String status) {
    return (long) org.tellonce.testing.Metrics.value("tellonce_consent_objections{status=\"" + status + "\"}")
        .orElse(-1);
  }

  /** The privacy officer's queue of the person's objections in one status. */
  static java.util.List<String> queue(String status, String person) {
    return given().auth().oauth2(Tokens.user("caldicott.mht"))
        .get("/objections?status=" + status + "&patient=" + person)
        .then().statusCode(200).extract().jsonPath().getList("consent", String.class);
  }

  @Test
  void onlyAnActiveObjectionIsReviewed() {
    org.tellonce.testing.SharingAgreements.ensure(null);
    String person = UUID.randomUUID().toString();
    String permit = record(person, DecisionResourceTestAccess.objection(person, "LA001")
        .replace("\"type\":\"deny\"", "\"type\":\"permit\""));
    review("gp.riverside", permit, "upheld", OVERRIDE_REASON).statusCode(404)
        .body("resourceType", equalTo("OperationOutcome"));

    String withdrawn = record(person, DecisionResourceTestAccess.objection(person, "LA001"));
    given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json")
        .body(DecisionResourceTestAccess.objection(person, "LA001").replace("\"active\"", "\"inactive\""))
        .put("/fhir/Consent/" + withdrawn).then().statusCode(200);
    review("gp.riverside", withdrawn, "overridden", OVERRIDE_REASON).statusCode(409)
        .body("issue[0].diagnostics", containsString("inactive"));
    given().auth().oauth2(Tokens.user("caldicott.mht")).get("/objections?status=sideways")
        .then().statusCode(400);
  }
}
