package org.tellonce.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.EventContracts;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.Tokens;

/**
 * The walking skeleton end to end, against the four running services, real Kafka, PostgreSQL and Keycloak: a person's
 * care team, a recorded allergy, an objection and its withdrawal, each read gated by the consent decision and audited.
 */
class ConsentGatedReadIT {

  @org.junit.jupiter.api.BeforeAll
  static void underTheIcsAgreement() {
    org.tellonce.testing.SharingAgreements.ensure(Services.CONSENT);
  }

  private static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";

  private final AtomicInteger recordRequests = new AtomicInteger();

  private RequestSpecification as(String user) {
    return given().auth().oauth2(Tokens.user(user)).contentType("application/fhir+json");
  }

  private RequestSpecification record(String user) {
    recordRequests.incrementAndGet();
    return as(user).baseUri(Services.CARE_RECORD);
  }

  private JsonPath search(String user, String personId) {
    return record(user).get("/fhir/AllergyIntolerance?patient=" + personId).then().statusCode(200).extract().jsonPath();
  }

  private static List<String> allergies(JsonPath bundle) {
    List<String> ids = new ArrayList<>();
    List<String> types = bundle.getList("entry.resource.resourceType");
    for (int i = 0; i < types.size(); i++) {
      if ("AllergyIntolerance".equals(types.get(i))) {
        ids.add(bundle.getString("entry[" + i + "].resource.id"));
      }
    }
    return ids;
  }

  private static boolean saysWithheld(JsonPath bundle) {
    return bundle.getList("entry.resource.resourceType").contains("OperationOutcome");
  }

  private String consent(String personId, String status) {
    return org.tellonce.testing.Consents.objection(personId, "LA001", status);
  }


  @Test
  void sharesTheRecordOnlyAsTheCareTeamAndThePersonsConsentAllow() throws Exception {
    String personId = People.register("nurse.mht", "Tester", "Jo", "1958-02-03");
    People.careTeam("nurse.mht", personId, "MHT01", "LA001");

    String allergyId = record("nurse.mht")
        .body("""
            {"resourceType":"AllergyIntolerance",
         "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":"active"}]},
         "code":{"text":"Penicillin"},"patient":{"reference":"Patient/%s"}}
            """.formatted(personId))
        .post("/fhir/AllergyIntolerance").then().statusCode(201).extract().path("id");

    // The care team reaches the consent service over Kafka: sw.council sees the allergy once it has.
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> allergies(search("sw.council", personId)).contains(allergyId));

    JsonPath gp = search("gp.riverside", personId);
    assertThat(allergies(gp)).isEmpty();
    assertThat(saysWithheld(gp)).as("a may-be-withheld notice instead of silent absence").isTrue();
    record("gp.riverside").get("/fhir/AllergyIntolerance/" + allergyId)
        .then().statusCode(404)
        .body("resourceType", equalTo("OperationOutcome"))
        .body(not(containsString("Penicillin")));
    String missing = as("gp.riverside").baseUri(Services.CARE_RECORD).get("/fhir/AllergyIntolerance/00000000-0000-0000-0000-000000000000")
        .then().statusCode(404).extract().path("issue[0].code");
    assertThat(missing).as("a denied resource is told exactly as a missing one").isEqualTo("not-found");

    // The person objects to sharing with the council: enforced from the acknowledgement on, no waiting.
    String consentId = as("nurse.mht").baseUri(Services.CONSENT)
        .body(consent(personId, "active"))
        .post("/fhir/Consent").then().statusCode(201).extract().path("id");
    JsonPath council = search("sw.council", personId);
    assertThat(allergies(council)).isEmpty();
    assertThat(saysWithheld(council)).isTrue();
    record("sw.council").get("/fhir/AllergyIntolerance/" + allergyId).then().statusCode(404);
    assertThat(allergies(search("nurse.mht", personId))).containsExactly(allergyId);
    record("nurse.mht").get("/fhir/AllergyIntolerance/" + allergyId)
        .then().statusCode(200).body("code.text", equalTo("Penicillin"));

    // The objection is withdrawn: the council sees the allergy again at once.
    as("nurse.mht").baseUri(Services.CONSENT)
        .body(consent(personId, "inactive"))
        .put("/fhir/Consent/" + consentId).then().statusCode(200);
    JsonPath again = search("sw.council", personId);
    assertThat(allergies(again)).containsExactly(allergyId);
    assertThat(saysWithheld(again)).as("told whatever was found, so it never tells that something was withheld")
        .isTrue();

    // Every access to the record was audited, denials included, on audit.v1.
    int accesses = recordRequests.get();
    List<EventProbe.Event> audits = EventProbe.await(Services.TOPIC_PREFIX + "audit.v1",
        e -> personId.equals(e.key()) && "org.tellonce.audit.recorded.v1".equals(e.header("ce_type")), accesses,
        Duration.ofSeconds(30));
    assertThat(audits).hasSize(accesses);
    assertThat(audits).anySatisfy(e -> assertThat(e.data())
        .contains("\"user\":\"gp.riverside\"").contains("\"outcome\":\"denied\"").contains("\"interaction\":\"read\""));
    assertThat(audits).anySatisfy(e -> assertThat(e.data())
        .contains("\"user\":\"sw.council\"").contains("\"outcome\":\"permitted\"").contains(allergyId));
    assertThat(audits).noneMatch(e -> e.data().contains("Penicillin"));
  }

  @Test
  void everyEventKeepsItsContract() throws Exception {
    String personId = as("sw.council").baseUri(Services.IDENTITY)
        .body("""
            {"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"%s"}],
             "name":[{"family":"Contract","given":["Kim"]}]}
            """.formatted(People.nhsNumber()))
        .post("/fhir/Patient").then().statusCode(201).extract().path("id");
    as("sw.council").baseUri(Services.IDENTITY)
        .body("""
            {"resourceType":"CareTeam","subject":{"reference":"Patient/%s"},
             "participant":[{"member":{"identifier":{"system":"%s","value":"LA001"}}}]}
            """.formatted(personId, ODS))
        .post("/fhir/CareTeam").then().statusCode(201);
    record("sw.council")
        .body("""
            {"resourceType":"Flag","status":"active","code":{"text":"Lives alone"},"subject":{"reference":"Patient/%s"}}
            """.formatted(personId))
        .post("/fhir/Flag").then().statusCode(201);
    as("sw.council").baseUri(Services.CONSENT).body(consent(personId, "active")).post("/fhir/Consent")
        .then().statusCode(201);
    as("sw.council").baseUri(Services.REFERRAL)
        .body("""
            {"resourceType":"ServiceRequest","status":"active","intent":"order",
             "category":[{"coding":[{"code":"mental-health"}]}],"subject":{"reference":"Patient/%s"}}
            """.formatted(personId))
        .post("/fhir/ServiceRequest").then().statusCode(201)
        .body("performer[0].identifier.value", equalTo("MHT01"));

    List<String> topics = List.of("identity.person.v1", "identity.careteam.v1", "record.v1", "audit.v1", "consent.v1",
        "referral.v1");
    for (String topic : topics) {
      List<EventProbe.Event> events = EventProbe.await(Services.TOPIC_PREFIX + topic, e -> personId.equals(e.key()), 1,
          Duration.ofSeconds(30));
      assertThat(events).as("an event about the person on " + topic).isNotEmpty();
      for (EventProbe.Event event : events) {
        assertThat(EventContracts.problems(event)).as(topic).isEmpty();
      }
    }
  }
}
