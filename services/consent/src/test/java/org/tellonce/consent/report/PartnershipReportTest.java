package org.tellonce.consent.report;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tellonce.consent.decision.DecisionResourceTestAccess;
import org.tellonce.consent.objection.ObjectionResourceTest;
import org.tellonce.platform.report.ReportPeriod;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/** The consent part of the partnership report: objections and break-glass in a period, counted. */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "consent_test"))
class PartnershipReportTest {

  static final String TODAY = LocalDate.now(ReportPeriod.LONDON).toString();

  static JsonPath today() {
    return given().auth().oauth2(Tokens.user("caldicott.mht"))
        .get("/reports/partnership?from=" + TODAY + "&to=" + TODAY).then().statusCode(200).extract().jsonPath();
  }

  static long number(JsonPath report, String path) {
    Number value = report.get(path);
    return value == null ? 0 : value.longValue();
  }

  @Test
  void countsTodaysObjectionsReviewsAndBreakGlass() {
    JsonPath before = today();
    String person = UUID.randomUUID().toString();
    DecisionResourceTestAccess.careTeam(person, "MHT01");
    String objection = ObjectionResourceTest.record(person, DecisionResourceTestAccess.objection(person, "LA001"));
    ObjectionResourceTest.review("caldicott.mht", objection, "upheld", "Discussed with the person, who understands");
    given().auth().oauth2(Tokens.user("gp.riverside")).contentType("application/json").body("""
        {"person":"Patient/%s","purpose":"ETREAT","justification":"Unconscious in A&E, need medication history"}
        """.formatted(person)).post("/break-glass").then().statusCode(201);

    JsonPath after = today();
    assertThat(number(after, "objections.recorded")).isEqualTo(number(before, "objections.recorded") + 1);
    assertThat(number(after, "objections.reviewed.upheld")).isEqualTo(number(before, "objections.reviewed.upheld") + 1);
    assertThat(number(after, "breakGlass.grantsByOrganization.GPP01"))
        .isEqualTo(number(before, "breakGlass.grantsByOrganization.GPP01") + 1);
    assertThat(number(after, "breakGlass.reviews.pending")).isEqualTo(number(before, "breakGlass.reviews.pending") + 1);
    // nothing of it in another period; a bad one refused; only for those who oversee sharing
    JsonPath earlier = given().auth().oauth2(Tokens.user("admin"))
        .get("/reports/partnership?from=2020-01-01&to=2020-01-31").then().statusCode(200).extract().jsonPath();
    assertThat(number(earlier, "objections.recorded")).isZero();
    assertThat(number(earlier, "breakGlass.grants")).isZero();
    given().auth().oauth2(Tokens.user("caldicott.mht")).get("/reports/partnership?to=someday")
        .then().statusCode(400).body("issue[0].diagnostics", containsString("to must be a date"));
    given().auth().oauth2(Tokens.user("sw.council")).get("/reports/partnership").then().statusCode(403);
  }
}
