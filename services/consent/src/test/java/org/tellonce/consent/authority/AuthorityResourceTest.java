package org.tellonce.consent.authority;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tellonce.consent.decision.DecisionResourceTestAccess;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/** Consents recorded by representatives, checked against capacity and age as the service knows them. */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "consent_test"))
public class AuthorityResourceTest {

  /** Registers the person as identity does, with their date of birth, and waits until the projection has it. */
  static void person(String personId, LocalDate birthDate) {
    long before = DecisionResourceTestAccess.decide(personId, "MHT01").extract().jsonPath().getLong("revision");
    EventProbe.publish("tellonce-test.identity.person.v1", personId, UUID.randomUUID().toString(),
        "org.tellonce.identity.person.registered.v1", """
            {"personId":"%s","version":1,"active":true,"identifiers":[],"restricted":false,"recordedBy":"MHT01",
             "birthDate":"%s"}""".formatted(personId, birthDate));
    await().atMost(Duration.ofSeconds(30)).until(() -> DecisionResourceTestAccess.decide(personId, "MHT01")
        .extract().jsonPath().getLong("revision") > before);
  }

  static String byRepresentative(String personId, String authority, String organization) {
    return """
        {"resourceType":"Consent","status":"active",
         "contained":[{"resourceType":"RelatedPerson","id":"rep","patient":{"reference":"Patient/%1$s"},
           "relationship":[{"coding":[{"system":"%2$s","code":"%3$s"}]}],
           "identifier":[{"system":"https://tellonce.org/fhir/sid/opg-registration","value":"7000-1111-2222"}]}],
         "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
         "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],
         "patient":{"reference":"Patient/%1$s"},"performer":[{"reference":"#rep"}],
         "provision":{"type":"deny","actor":[{"role":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"IRCP"}]},
           "reference":{"identifier":{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"%4$s"}}}]}}
        """.formatted(personId, Authority.AUTHORITY_SYSTEM, authority, organization);
  }

  static ValidatableResponse record(String body) {
    return given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json").body(body)
        .post("/fhir/Consent").then();
  }

  static ValidatableResponse assess(String user, String personId, String outcome, String reference) {
    return given().auth().oauth2(Tokens.user(user)).contentType("application/json")
        .body("""
            {"person":"Patient/%s","outcome":"%s","assessed":"%s","assessment":"%s","note":"MCA two-stage test"}"""
            .formatted(personId, outcome, LocalDate.now(), reference))
        .post("/capacity-assessments").then();
  }

  @Test
  void anAttorneyDecidesOnlyWhileThePersonLacksCapacity() {
    String person = UUID.randomUUID().toString();
    DecisionResourceTestAccess.careTeam(person, "MHT01", "LA001");
    person(person, LocalDate.of(1948, 2, 11));

    record(byRepresentative(person, "lpa-health-welfare", "LA001")).statusCode(422)
        .body("issue[0].diagnostics", containsString("acts only while the person lacks capacity"));
    record(byRepresentative(person, "lpa-property-finance", "LA001")).statusCode(422)
        .body("issue[0].diagnostics", containsString("Property and Financial Affairs"));

    assess("worker.vcse", person, "lacks-capacity", "DocumentReference/mca-1").statusCode(403);
    assess("nurse.mht", person, "confused", "DocumentReference/mca-1").statusCode(422);
    assess("nurse.mht", person, "lacks-capacity", "DocumentReference/mca-1").statusCode(201)
        .body("outcome", equalTo("lacks-capacity"))
        .body("decision", equalTo("information-sharing"));

    record(byRepresentative(person, "lpa-health-welfare", "LA001")).statusCode(201);
    DecisionResourceTestAccess.decide(person, "LA001")
        .body("decisions[0].decision", equalTo("DENY"))
        .body("decisions[0].reasons[0].text",
            containsString("the person's attorney (Health and Welfare LPA) asked for their information"));

    // the person regains capacity: the attorney's decision no longer binds, at once
    assess("nurse.mht", person, "has-capacity", "DocumentReference/mca-2").statusCode(201);
    DecisionResourceTestAccess.decide(person, "LA001").body("decisions[0].decision", equalTo("PERMIT"));
    given().auth().oauth2(Tokens.user("caldicott.mht")).get("/capacity-assessments?patient=Patient/" + person)
        .then().statusCode(200)
        .body("$", hasSize(2))
        .body("[0].assessment", equalTo("DocumentReference/mca-2"));
  }

  @Test
  void aParentDecidesForAChildWhoIsNotGillickCompetent() {
    String child = UUID.randomUUID().toString();
    DecisionResourceTestAccess.careTeam(child, "MHT01", "LA001");
    person(child, LocalDate.now().minusYears(12));
    record(byRepresentative(child, "parental-responsibility", "LA001")).statusCode(201);
    DecisionResourceTestAccess.decide(child, "LA001")
        .body("decisions[0].decision", equalTo("DENY"))
        .body("decisions[0].reasons[0].text", containsString("a person with parental responsibility asked for"));

    // assessed as competent: the parent's consent no longer binds and a new one is refused
    assess("nurse.mht", child, "has-capacity", "DocumentReference/gillick-1").statusCode(201);
    DecisionResourceTestAccess.decide(child, "LA001").body("decisions[0].decision", equalTo("PERMIT"));
    record(byRepresentative(child, "parental-responsibility", "LA001")).statusCode(422)
        .body("issue[0].diagnostics", containsString("Gillick"));
  }
}
