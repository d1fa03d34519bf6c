package org.tellonce.consent.agreement;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.tellonce.consent.decision.DecisionResourceTestAccess;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/** Data-sharing agreements: the lawful basis for direct care among partners; outside every one, nothing is shared. */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "consent_test"))
public class AgreementResourceTest {

  static String agreement(String status, String parties, String purposes, String dataClasses, String period) {
    return """
        {"title":"Discharge to assess","status":"%s","parties":[%s],"purposes":[%s],"dataClasses":[%s],
         "period":%s,"reference":"ICS-DSA-7"}
        """.formatted(status, parties, purposes, dataClasses, period);
  }

  static ValidatableResponse post(String user, String body) {
    return given().auth().oauth2(Tokens.user(user)).contentType("application/json").body(body).post("/agreements").then();
  }

  @Test
  void anOrganisationOutsideEveryActiveAgreementGetsNothingForDirectCare() {
    String outsider = "XQ" + ThreadLocalRandom.current().nextInt(1000, 9999);
    String person = UUID.randomUUID().toString();
    DecisionResourceTestAccess.careTeam(person, outsider, "MHT01");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> DecisionResourceTestAccess.decide(person, outsider)
        .body("decisions[0].decision", equalTo("DENY"))
        .body("decisions[0].reasons[0].source", equalTo("policy/no-agreement")));

    String body = agreement("active", "\"MHT01\",\"" + outsider + "\"", "\"TREAT\"", "\"AllergyIntolerance\"",
        "{\"start\":\"2020-01-01\"}");
    String id = post("caldicott.mht", body).statusCode(201)
        .header("ETag", equalTo("W/\"1\""))
        .body("parties", hasItem(outsider))
        .extract().path("id");
    DecisionResourceTestAccess.decide(person, outsider)
        .body("decisions[0].decision", equalTo("PERMIT"))
        .body("decisions[0].reasons[0].text", containsString("Discharge to assess"));

    // retired: the basis is gone at once
    given().auth().oauth2(Tokens.user("admin")).contentType("application/json").header("If-Match", "W/\"1\"")
        .body(body.replace("\"active\"", "\"retired\"")).put("/agreements/" + id)
        .then().statusCode(200).body("version", equalTo(2)).body("status", equalTo("retired"));
    DecisionResourceTestAccess.decide(person, outsider).body("decisions[0].decision", equalTo("DENY"));
    given().auth().oauth2(Tokens.user("admin")).contentType("application/json").header("If-Match", "W/\"1\"")
        .body(body).put("/agreements/" + id).then().statusCode(412);
    given().auth().oauth2(Tokens.user("sw.council")).get("/agreements/" + id).then().statusCode(200)
        .body("reference", equalTo("ICS-DSA-7"));
    given().auth().oauth2(Tokens.user("sw.council")).get("/agreements?status=retired").then().statusCode(200)
        .body("id", hasItem(id));
  }

  @Test
  void refusesAgreementsThatMakeNoSense() {
    post("admin", agreement("active", "\"MHT01\"", "\"TREAT\"", "\"*\"", "null")).statusCode(422)
        .body("issue[0].diagnostics", containsString("two parties"));
    post("admin", agreement("active", "\"MHT01\",\"LA001\"", "\"GOSSIP\"", "\"*\"", "null")).statusCode(422)
        .body("issue[0].diagnostics", containsString("purposes"));
    post("admin", agreement("active", "\"MHT01\",\"LA001\"", "\"TREAT\"", "\"Gossip\"", "null")).statusCode(422)
        .body("issue[0].diagnostics", containsString("not a FHIR R4 resource type"));
    post("admin", agreement("active", "\"MHT01\",\"LA001\"", "\"TREAT\"", "\"*\"",
        "{\"start\":\"2026-05-01\",\"end\":\"2026-04-01\"}")).statusCode(422);
    post("admin", agreement("signed", "\"MHT01\",\"LA001\"", "\"TREAT\"", "\"*\"", "null")).statusCode(422);
    post("admin", "{\"title\":").statusCode(400);
    post("nurse.mht", agreement("active", "\"MHT01\",\"LA001\"", "\"TREAT\"", "\"*\"", "null")).statusCode(403);
    given().auth().oauth2(Tokens.user("admin")).get("/agreements/nope").then().statusCode(404);
  }
}
