package org.tellonce.consent.decision;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.tellonce.consent.record.ConsentReader;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/** The National Data Opt-out: kept apart from consents, it applies to planning and research, never to direct care. */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "consent_test"))
public class NationalOptOutTest {

  @Test
  void anOptOutStopsPlanningUnderAnAgreementButNotTheCareTeam() {
    String planner = "PH" + ThreadLocalRandom.current().nextInt(1000, 9999);
    given().auth().oauth2(Tokens.user("admin")).contentType("application/json")
        .body("""
            {"title":"Population health planning","status":"active","parties":["%s","MHT01"],"purposes":["HOPERAT"],
             "dataClasses":["*"],"reference":"ICS-DSA-PHM"}""".formatted(planner))
        .post("/agreements").then().statusCode(201);
    String person = UUID.randomUUID().toString();
    DecisionResourceTestAccess.careTeam(person, "MHT01", "LA001");
    DecisionResourceTestAccess.decide(person, planner, "HOPERAT")
        .body("decisions[0].decision", equalTo("PERMIT"))
        .body("decisions[0].reasons[0].source", equalTo("policy/agreement-purpose"));

    String optOut = """
        {"resourceType":"Consent","status":"active",
         "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
         "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],
         "patient":{"reference":"Patient/%1$s"},"performer":[{"reference":"Patient/%1$s"}],"policy":[{"uri":"%2$s"}],
         "provision":{"type":"deny"}}""".formatted(person, ConsentReader.NATIONAL_OPT_OUT);
    String id = given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json").body(optOut)
        .post("/fhir/Consent").then().statusCode(201).extract().path("id");

    DecisionResourceTestAccess.decide(person, planner, "HOPERAT")
        .body("decisions[0].decision", equalTo("DENY"))
        .body("decisions[0].reasons[0].source", equalTo("policy/national-data-opt-out"))
        .body("decisions[0].reasons[0].text", containsString("National Data Opt-out"));
    DecisionResourceTestAccess.decide(person, "LA001", "TREAT").body("decisions[0].decision", equalTo("PERMIT"));
    // the opt-out is not an objection to direct care, so nobody is asked to review it
    given().auth().oauth2(Tokens.user("caldicott.mht")).get("/objections/" + id).then().statusCode(404);

    given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json")
        .body(optOut.replace("\"status\":\"active\"", "\"status\":\"inactive\""))
        .put("/fhir/Consent/" + id).then().statusCode(200);
    DecisionResourceTestAccess.decide(person, planner, "HOPERAT").body("decisions[0].decision", equalTo("PERMIT"));
  }
}
