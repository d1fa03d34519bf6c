package org.tellonce.consent.summary;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tellonce.consent.decision.DecisionResourceTestAccess;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/** Who may see this person's information and why, in plain English, by the same rules as every decision. */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "consent_test"))
public class SharingSummaryTest {

  @Test
  void tellsWhoMaySeeWhatAndWhy() {
    String person = UUID.randomUUID().toString();
    DecisionResourceTestAccess.careTeam(person, "MHT01", "LA001");

    given().auth().oauth2(Tokens.user("caldicott.mht")).get("/persons/" + person + "/sharing-summary")
        .then().statusCode(200)
        .body("person", equalTo("Patient/" + person))
        .body("organizations.organization", hasItem("GPP01"))
        .body("organizations.find { it.organization == 'LA001' }.inCareTeam", equalTo(true))
        .body("organizations.find { it.organization == 'LA001' }.staff.shared", equalTo(true))
        .body("organizations.find { it.organization == 'LA001' }.staffSensitive.shared", equalTo(false))
        .body("organizations.find { it.organization == 'LA001' }.cliniciansSensitive.shared", equalTo(true))
        .body("organizations.find { it.organization == 'LA001' }.summary", containsString("clinicians only"))
        .body("organizations.find { it.organization == 'GPP01' }.clinicians.rule",
            equalTo("policy/no-legitimate-relationship"))
        .body("organizations.find { it.organization == 'GPP01' }.summary", containsString("cannot see"));

    given().auth().oauth2(Tokens.user("sw.council")).get("/persons/" + person + "/what-can-i-see")
        .then().statusCode(200)
        .body("organization", equalTo("LA001"))
        .body("categories.find { it.category == 'general' }.answer.shared", equalTo(true))
        .body("categories.find { it.category == 'PSY' }.answer.shared", equalTo(false))
        .body("summary", containsString("You can see"))
        .body("summary", containsString("PSY"));
    given().auth().oauth2(Tokens.user("gp.riverside")).get("/persons/" + person + "/what-can-i-see")
        .then().statusCode(200).body("summary", containsString("You cannot see"));
    given().auth().oauth2(Tokens.user("sw.council")).get("/persons/" + person + "/what-can-i-see?purpose=GOSSIP")
        .then().statusCode(400);
    given().get("/persons/" + person + "/sharing-summary").then().statusCode(401);
  }
}
