package org.tellonce.referral.report;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/** The referral part of the partnership report: what happened in a period, counted; bad periods refused. */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "referral_test"))
class PartnershipReportTest {

  static final String TODAY = LocalDate.now(ZoneId.of("Europe/London")).toString();

  static JsonPath report(String query) {
    return given().auth().oauth2(Tokens.user("caldicott.mht")).get("/reports/partnership" + query)
        .then().statusCode(200).extract().jsonPath();
  }

  /** The demo user of each organisation a referral can reach. */
  static final Map<String, String> USERS = Map.of("MHT01", "nurse.mht", "LA001", "sw.council", "VCS01", "worker.vcse",
      "GPP01", "gp.riverside");

  /** A referral made by the GP practice; answers its id and the organisation it was routed to. */
  static String[] refer(String person) {
    JsonPath created = given().auth().oauth2(Tokens.user("gp.riverside")).contentType("application/fhir+json").body("""
            {"resourceType":"ServiceRequest","status":"active","intent":"order","priority":"urgent",
             "category":[{"coding":[{"system":"https://fhir.tellonce.org/CodeSystem/service-category",
               "code":"mental-health"}]}],
             "subject":{"reference":"Patient/%s"}}""".formatted(person))
        .post("/fhir/ServiceRequest").then().statusCode(201).extract().jsonPath();
    String id = created.getString("id");
    return new String[] {id, given().auth().oauth2(Tokens.user("gp.riverside")).get("/referrals/" + id)
        .then().statusCode(200).extract().path("recipientOrganization")};
  }

  @Test
  void countsTodaysReferralsResponsesAndRedirects() {
    JsonPath before = report("?from=" + TODAY + "&to=" + TODAY);
    long made = before.getLong("referrals.made");
    long redirects = before.getLong("referrals.redirects");
    Integer respondedBefore = before.get("referrals.responses.response.onTime");
    int onTime = respondedBefore == null ? 0 : respondedBefore;

    // routed by the rules (and the teams' capacity), so each is moved by whoever received it
    String[] accepted = refer(UUID.randomUUID().toString());
    given().auth().oauth2(Tokens.user(USERS.get(accepted[1]))).contentType("application/json")
        .body("{\"status\":\"accepted\"}")
        .post("/referrals/" + accepted[0] + "/transitions").then().statusCode(200);
    String[] redirected = refer(UUID.randomUUID().toString());
    given().auth().oauth2(Tokens.user(USERS.get(redirected[1]))).contentType("application/json")
        .body("{\"target\":\"%s\",\"note\":\"Peer support first, then the team if needed\"}"
            .formatted("VCS01".equals(redirected[1]) ? "MHT01" : "VCS01"))
        .post("/referrals/" + redirected[0] + "/redirect").then().statusCode(200)
        // the organisation that handed it over sees where it went, and can no longer move it
        .body("recipientOrganization", equalTo("VCS01".equals(redirected[1]) ? "MHT01" : "VCS01"))
        .body("allowedMoves", org.hamcrest.Matchers.empty());

    JsonPath after = report("?from=" + TODAY + "&to=" + TODAY);
    assertThat(after.getString("from")).isEqualTo(TODAY);
    assertThat(after.getLong("referrals.made")).isEqualTo(made + 2);
    assertThat(after.getLong("referrals.redirects")).isEqualTo(redirects + 1);
    assertThat(after.getInt("referrals.responses.response.onTime")).isEqualTo(onTime + 1);
    assertThat(after.getDouble("referrals.responses.response.medianHours")).isNotNegative();
    // a period before any of it holds none of it
    JsonPath earlier = report("?from=2020-01-01&to=2020-01-31");
    assertThat(earlier.getLong("referrals.made")).isZero();
    assertThat(earlier.getMap("referrals.responses")).isEmpty();
  }

  @Test
  void aBadPeriodIsRefusedAndTheReportIsForThoseWhoOverseeSharing() {
    given().auth().oauth2(Tokens.user("caldicott.mht")).get("/reports/partnership?from=yesterday")
        .then().statusCode(400).body("issue[0].diagnostics", containsString("from must be a date"));
    given().auth().oauth2(Tokens.user("caldicott.mht")).get("/reports/partnership?from=2026-02-01&to=2026-01-01")
        .then().statusCode(400).body("resourceType", equalTo("OperationOutcome"));
    given().auth().oauth2(Tokens.user("caldicott.mht")).get("/reports/partnership?from=2020-01-01&to=2026-01-01")
        .then().statusCode(400).body("issue[0].diagnostics", containsString("at most 366 days"));
    given().auth().oauth2(Tokens.user("nurse.mht")).get("/reports/partnership").then().statusCode(403);
  }
}
