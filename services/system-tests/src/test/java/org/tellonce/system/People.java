package org.tellonce.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.tellonce.testing.NhsNumbers;
import org.tellonce.testing.Tokens;

/** Synthetic people registered in the running identity service, with their care teams. */
final class People {

  static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";

  private People() {}

  /**
   * An NHS number from the test range that no one in the running index holds. The range has only about 909,000 valid
   * numbers and a long-lived local store keeps every earlier run's people: a random one already held would link the
   * registration to that person (200, not a new person), which is right for the service and wrong for a test that
   * wants a new person.
   */
  static String nhsNumber() {
    while (true) {
      String number = NhsNumbers.random();
      java.util.List<Object> held = given().auth().oauth2(Tokens.user("admin")).baseUri(Services.IDENTITY)
          .queryParam("identifier", "https://fhir.nhs.uk/Id/nhs-number|" + number).queryParam("_count", 1)
          .get("/fhir/Patient").then().statusCode(200).extract().jsonPath().getList("entry");
      if (held == null || held.isEmpty()) {
        return number;
      }
    }
  }

  /** Registers a person with a fresh NHS number as the user; answers the person id. */
  static String register(String user, String family, String givenName, String birthDate) {
    return given().auth().oauth2(Tokens.user(user)).contentType("application/fhir+json").baseUri(Services.IDENTITY)
        .body("""
            {"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"%s"}],
             "name":[{"family":"%s","given":["%s"]}],"birthDate":"%s"}
            """.formatted(nhsNumber(), family, givenName, birthDate))
        .post("/fhir/Patient").then().statusCode(201).extract().path("id");
  }

  /**
   * Records the person's active care team: these organisations (ODS or council codes); answers once the consent
   * service has heard of it (the care team reaches it over Kafka), so that what follows is decided on it.
   */
  static void careTeam(String user, String personId, String... organizations) {
    String participants = Arrays.stream(organizations)
        .map(code -> "{\"member\":{\"identifier\":{\"system\":\"" + ODS + "\",\"value\":\"" + code + "\"}}}")
        .collect(Collectors.joining(","));
    given().auth().oauth2(Tokens.user(user)).contentType("application/fhir+json").baseUri(Services.IDENTITY)
        .body("""
            {"resourceType":"CareTeam","status":"active","subject":{"reference":"Patient/%s"},"participant":[%s]}
            """.formatted(personId, participants))
        .post("/fhir/CareTeam").then().statusCode(201);
    for (String organization : organizations) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> "PERMIT".equals(decide(personId, organization)));
    }
  }

  /** The consent service's decision on the organisation reading a plain record entry about the person. */
  static String decide(String personId, String organization) {
    return decision(personId, organization).getString("decision");
  }

  /** The whole item decision (decision, reasons, obligations) on a plain record entry about the person. */
  static io.restassured.path.json.JsonPath decision(String personId, String organization) {
    return given().baseUri(Services.CONSENT).auth().oauth2(Tokens.service("care-record"))
        .contentType("application/json")
        .body("""
            {"subject":"%s","purpose":"TREAT","actor":{"organization":"%s","user":"care-team-check","roles":[]},
             "data":[{"id":"AllergyIntolerance/1","resourceType":"AllergyIntolerance","labels":[]}]}
            """.formatted(personId, organization))
        .post("/decisions").then().statusCode(200).extract().jsonPath().setRootPath("decisions[0]");
  }

  /** Records an active allergy about the person in the shared record, as the user; answers its id. */
  static String allergy(String user, String personId, String substance) {
    return given().baseUri(Services.CARE_RECORD).auth().oauth2(Tokens.user(user)).contentType("application/fhir+json")
        .body("""
            {"resourceType":"AllergyIntolerance","code":{"text":"%s"},"patient":{"reference":"Patient/%s"},
             "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
                                          "code":"active"}]}}
            """.formatted(substance, personId))
        .post("/fhir/AllergyIntolerance").then().statusCode(201).extract().path("id");
  }
}
