package org.tellonce.consent.breakglass;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tellonce.consent.decision.DecisionResourceTestAccess;
import org.tellonce.testing.EventContracts;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/** Emergency access: granted with a justification, time-limited, used only for ETREAT, reviewed by the privacy officer. */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "consent_test"))
public class BreakGlassTest {

  /** Asks as care-record would, for gp.riverside (GPP01, a clinician), with this purpose. */
  static ValidatableResponse decide(String personId, String purpose) {
    return given().auth().oauth2(Tokens.service("care-record")).contentType("application/json")
        .body("""
            {"subject":"%s","purpose":"%s","actor":{"organization":"GPP01","user":"gp.riverside","roles":["clinician"]},
             "data":[{"id":"Condition/1","resourceType":"Condition","labels":["PSY"]}]}
            """.formatted(personId, purpose))
        .post("/decisions").then().statusCode(200);
  }

  static ValidatableResponse grant(String user, String body) {
    return given().auth().oauth2(Tokens.user(user)).contentType("application/json").body(body)
        .post("/break-glass").then();
  }

  @Test
  void anEmergencyGrantPermitsEmergencyTreatmentForALimitedTimeAndIsReviewed() throws Exception {
    String personId = UUID.randomUUID().toString();
    DecisionResourceTestAccess.careTeam(personId, "MHT01");
    decide(personId, "ETREAT").body("decisions[0].decision", equalTo("DENY"));

    String grantId = grant("gp.riverside", """
        {"person":"Patient/%s","purpose":"ETREAT","justification":"Unconscious in A&E, need medication history"}
        """.formatted(personId))
        .statusCode(201)
        .body("organization", equalTo("GPP01"))
        .body("user", equalTo("gp.riverside"))
        .body("review", equalTo("pending"))
        .extract().path("id");

    decide(personId, "ETREAT")
        .body("decisions[0].decision", equalTo("PERMIT"))
        .body("decisions[0].reasons[0].source", equalTo("break-glass/" + grantId))
        .body("decisions[0].obligations", hasItem("audit"))
        .body("decisions[0].obligations", hasItem("notify:privacy-officer"));
    // only for emergency treatment
    decide(personId, "TREAT").body("decisions[0].decision", equalTo("DENY"));

    // the privacy officer of the organisation is told, and sees the grant and its use in the queue
    List<EventProbe.Event> events = EventProbe.await("tellonce-test.consent.breakglass.v1",
        e -> "GPP01".equals(e.key()) && e.data().contains(grantId), 1, Duration.ofSeconds(20));
    assertThat(EventContracts.problems(events.get(0))).isEmpty();
    assertThat(events.get(0).data()).doesNotContain("Unconscious");
    given().auth().oauth2(Tokens.user("admin")).get("/break-glass?organization=GPP01").then().statusCode(200)
        .body("find { it.id == '" + grantId + "' }.uses", greaterThanOrEqualTo(1))
        .body("find { it.id == '" + grantId + "' }.justification", containsString("A&E"));
    given().auth().oauth2(Tokens.user("caldicott.mht")).get("/break-glass?organization=GPP01").then().statusCode(403);

    // access lapses by itself
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        decide(personId, "ETREAT").body("decisions[0].decision", equalTo("DENY")));

    given().auth().oauth2(Tokens.user("admin")).contentType("application/json")
        .body("{\"outcome\":\"appropriate\",\"note\":\"Confirmed with the ED consultant\"}")
        .post("/break-glass/" + grantId + "/review").then().statusCode(200)
        .body("review", equalTo("appropriate")).body("reviewedBy", equalTo("admin"));
    given().auth().oauth2(Tokens.user("admin")).contentType("application/json")
        .body("{\"outcome\":\"inappropriate\"}")
        .post("/break-glass/" + grantId + "/review").then().statusCode(409);
    given().auth().oauth2(Tokens.user("caldicott.mht")).contentType("application/json")
        .body("{\"outcome\":\"appropriate\"}")
        .post("/break-glass/" + grantId + "/review").then().statusCode(404);
  }

  @Test
  void refusesGrantsThatBreakTheRules() {
    String person = "Patient/" + UUID.randomUUID();
    grant("gp.riverside", "{\"person\":\"" + person + "\",\"purpose\":\"TREAT\",\"justification\":\"Routine review of notes\"}")
        .statusCode(422).body("issue[0].diagnostics", containsString("ETREAT"));
    grant("gp.riverside", "{\"person\":\"" + person + "\",\"purpose\":\"ETREAT\",\"justification\":\"because\"}")
        .statusCode(422).body("issue[0].diagnostics", containsString("justification"));
    grant("gp.riverside", "{\"person\":\"Practitioner/x\",\"purpose\":\"ETREAT\",\"justification\":\"Collapsed in clinic\"}")
        .statusCode(422);
    grant("sw.council", "{\"person\":\"" + person + "\",\"purpose\":\"ETREAT\",\"justification\":\"Collapsed in clinic\"}")
        .statusCode(403);
    grant("gp.riverside", "{}").statusCode(400);
    given().auth().oauth2(Tokens.user("admin")).get("/break-glass").then().statusCode(400);
    given().auth().oauth2(Tokens.user("admin")).contentType("application/json").body("{\"outcome\":\"maybe\"}")
        .post("/break-glass/x/review").then().statusCode(400);
  }
}
