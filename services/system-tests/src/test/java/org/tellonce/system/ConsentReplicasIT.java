package org.tellonce.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.SharingAgreements;
import org.tellonce.testing.Tokens;

/**
 * The consistency promise across replicas: once a consent change is acknowledged by one consent replica, no decision
 * from the other uses the older state, and every answer carries a revision at least as new as the change.
 */
class ConsentReplicasIT {

  static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";
  static final int ROUNDS = 40;

  @BeforeAll
  static void underTheIcsAgreement() {
    SharingAgreements.ensure(Services.CONSENT);
  }

  static JsonPath decide(String replica, String personId) {
    return given().baseUri(replica).auth().oauth2(Tokens.service("care-record")).contentType("application/json")
        .body("""
            {"subject":"%s","purpose":"TREAT","actor":{"organization":"LA001","user":"sw.council","roles":["social-worker"]},
             "data":[{"id":"AllergyIntolerance/1","resourceType":"AllergyIntolerance","labels":[]}]}
            """.formatted(personId))
        .post("/decisions").then().statusCode(200).extract().jsonPath();
  }

  static String objection(String personId, String status) {
    return org.tellonce.testing.Consents.objection(personId, "LA001", status);
  }


  @Test
  void anAcknowledgedChangeOnOneReplicaBindsTheNextDecisionOnTheOther() {
    String personId = given().baseUri(Services.IDENTITY).auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json")
        .body("""
            {"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"%s"}],
             "name":[{"family":"Replica","given":["Ray"]}],"birthDate":"1971-06-09"}
            """.formatted(People.nhsNumber()))
        .post("/fhir/Patient").then().statusCode(201).extract().path("id");
    given().baseUri(Services.IDENTITY).auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json")
        .body("""
            {"resourceType":"CareTeam","status":"active","subject":{"reference":"Patient/%s"},
             "participant":[{"member":{"identifier":{"system":"%s","value":"MHT01"}}},
                            {"member":{"identifier":{"system":"%s","value":"LA001"}}}]}
            """.formatted(personId, ODS, ODS))
        .post("/fhir/CareTeam").then().statusCode(201);
    await().atMost(Duration.ofSeconds(60)).until(() ->
        "PERMIT".equals(decide(Services.CONSENT, personId).getString("decisions[0].decision"))
            && "PERMIT".equals(decide(Services.CONSENT_REPLICA, personId).getString("decisions[0].decision")));

    String consentId = null;
    int stale = 0;
    for (int round = 0; round < ROUNDS; round++) {
      String writer = round % 2 == 0 ? Services.CONSENT : Services.CONSENT_REPLICA;
      String reader = round % 2 == 0 ? Services.CONSENT_REPLICA : Services.CONSENT;
      // object (on one replica), then read on the other at once
      var objecting = given().baseUri(writer).auth().oauth2(Tokens.user("nurse.mht"))
          .contentType("application/fhir+json").body(objection(personId, "active"));
      if (consentId == null) {
        consentId = objecting.post("/fhir/Consent").then().statusCode(201).extract().path("id");
      } else {
        objecting.put("/fhir/Consent/" + consentId).then().statusCode(200);
      }
      long written = decide(writer, personId).getLong("revision");
      JsonPath denied = decide(reader, personId);
      stale += "DENY".equals(denied.getString("decisions[0].decision")) ? 0 : 1;
      assertThat(denied.getLong("revision")).isGreaterThanOrEqualTo(written);

      // withdraw (on the other), then read on the first at once
      given().baseUri(reader).auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json")
          .body(objection(personId, "inactive")).put("/fhir/Consent/" + consentId).then().statusCode(200);
      JsonPath permitted = decide(writer, personId);
      stale += "PERMIT".equals(permitted.getString("decisions[0].decision")) ? 0 : 1;
    }
    assertThat(stale).as("decisions taken on state older than an acknowledged change").isZero();
  }

  /** The council's reads of the person's allergies in the shared record. */
  static int allergiesSeen(String personId) {
    return given().baseUri(Services.CARE_RECORD).auth().oauth2(Tokens.user("sw.council"))
        .get("/fhir/AllergyIntolerance?patient=" + personId).then().statusCode(200).extract().jsonPath()
        .getList("entry.resource.findAll { it.resourceType == 'AllergyIntolerance' }").size();
  }

  @Test
  void theRecordReusesNoAnswerPastAnAcknowledgedChangeOnEitherReplica() {
    String personId = People.register("nurse.mht", "Lease", "Lee", "1969-03-12");
    People.careTeam("nurse.mht", personId, "MHT01", "LA001");
    People.allergy("nurse.mht", personId, "Latex");
    assertThat(allergiesSeen(personId)).isEqualTo(1);

    String consentId = null;
    int stale = 0;
    for (int round = 0; round < 20; round++) {
      // read twice (the record may reuse the answer), change on one replica, read again at once
      allergiesSeen(personId);
      allergiesSeen(personId);
      var objecting = given().baseUri(round % 2 == 0 ? Services.CONSENT : Services.CONSENT_REPLICA)
          .auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json")
          .body(objection(personId, "active"));
      if (consentId == null) {
        consentId = objecting.post("/fhir/Consent").then().statusCode(201).extract().path("id");
      } else {
        objecting.put("/fhir/Consent/" + consentId).then().statusCode(200);
      }
      stale += allergiesSeen(personId) == 0 ? 0 : 1;
      allergiesSeen(personId);
      given().baseUri(round % 2 == 0 ? Services.CONSENT_REPLICA : Services.CONSENT)
          .auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json")
          .body(objection(personId, "inactive")).put("/fhir/Consent/" + consentId).then().statusCode(200);
      stale += allergiesSeen(personId) == 1 ? 0 : 1;
    }
    assertThat(stale).as("reads through the record resting on an answer older than an acknowledged change").isZero();
  }
}
