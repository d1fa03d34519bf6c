package org.tellonce.consent.decision;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.SharingAgreements;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "consent_test"))
public class DecisionResourceTest {

  static final String CARE_TEAMS = "tellonce-test.identity.careteam.v1";
  static final String CARE_TEAM_CHANGED = "org.tellonce.identity.careteam.changed.v1";

  /** Publishes a care-team event as identity does, and waits until the projection has it. */
  public static void careTeam(String personId, String teamId, int version, String... organizations) {
    SharingAgreements.ensure(null);
    publishCareTeam(UUID.randomUUID().toString(), personId, teamId, version, organizations);
    String last = organizations[organizations.length - 1];
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        decide("care-record", personId, last, "TREAT").body("decisions[0].decision", equalTo("PERMIT")));
  }

  static void publishCareTeam(String eventId, String personId, String teamId, int version, String... organizations) {
    StringBuilder orgs = new StringBuilder();
    for (String org : organizations) {
      orgs.append(orgs.length() == 0 ? "" : ",").append('"').append(org).append('"');
    }
    EventProbe.publish(CARE_TEAMS, personId, eventId, CARE_TEAM_CHANGED, """
        {"careTeamId":"%s","version":%d,"personId":"%s","status":"active","organizations":[%s],"practitionerRoles":[]}
        """.formatted(teamId, version, personId, orgs));
  }

  /** Asks as a service on behalf of a user of {@code organization}. */
  static ValidatableResponse decide(String service, String personId, String organization, String purpose) {
    return given().auth().oauth2(Tokens.service(service))
        .contentType("application/json")
        .body("""
            {"subject":"%s","purpose":"%s","actor":{"organization":"%s","user":"someone","roles":["social-worker"]},
             "data":[{"id":"AllergyIntolerance/1","resourceType":"AllergyIntolerance","labels":[]}]}
            """.formatted(personId, purpose, organization))
        .post("/decisions")
        .then().statusCode(200);
  }

  static String objection(String personId, String organization) {
    return org.tellonce.testing.Consents.objection(personId, organization, "active");
  }


  @Test
  void permitsTheCareTeamAndDeniesOthersForDirectCare() {
    String person = UUID.randomUUID().toString();
    careTeam(person, UUID.randomUUID().toString(), 1, "MHT01", "LA001");
    decide("care-record", person, "LA001", "TREAT")
        .body("decisions[0].id", equalTo("AllergyIntolerance/1"))
        .body("decisions[0].reasons[0].source", equalTo("policy/direct-care"))
        .body("decisions[0].obligations", org.hamcrest.Matchers.hasItem("audit"));
    decide("care-record", person, "GPP01", "TREAT")
        .body("decisions[0].decision", equalTo("DENY"))
        .body("decisions[0].reasons[0].text", containsString("no legitimate relationship"));
  }

  @Test
  void anObjectionIsEnforcedAtOnceAndItsWithdrawalToo() {
    String person = UUID.randomUUID().toString();
    careTeam(person, UUID.randomUUID().toString(), 1, "MHT01", "LA001");
    long before = decide("care-record", person, "LA001", "TREAT").extract().jsonPath().getLong("revision");

    String consentId = given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json")
        .body(objection(person, "LA001"))
        .post("/fhir/Consent")
        .then().statusCode(201)
        .body("meta.versionId", equalTo("1"))
        .extract().path("id");

    ValidatableResponse denied = decide("care-record", person, "LA001", "TREAT")
        .body("decisions[0].decision", equalTo("DENY"))
        .body("decisions[0].reasons[0].source", equalTo("Consent/" + consentId));
    assertThat(denied.extract().jsonPath().getLong("revision")).isGreaterThan(before);
    decide("care-record", person, "MHT01", "TREAT").body("decisions[0].decision", equalTo("PERMIT"));

    given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json")
        .body(objection(person, "LA001").replace("\"status\":\"active\"", "\"status\":\"inactive\""))
        .put("/fhir/Consent/" + consentId)
        .then().statusCode(200)
        .body("meta.versionId", equalTo("2"));
    decide("care-record", person, "LA001", "TREAT").body("decisions[0].decision", equalTo("PERMIT"));

    given().auth().oauth2(Tokens.user("caldicott.mht"))
        .get("/fhir/Consent/" + consentId + "/_history")
        .then().statusCode(200)
        .body("type", equalTo("history"))
        .body("total", equalTo(2));
    given().auth().oauth2(Tokens.user("caldicott.mht"))
        .get("/fhir/Consent/" + consentId + "/_history/1")
        .then().statusCode(200)
        .body("status", equalTo("active"));
    given().auth().oauth2(Tokens.user("caldicott.mht"))
        .get("/fhir/Consent?patient=Patient/" + person)
        .then().statusCode(200)
        .body("type", equalTo("searchset"))
        .body("entry[0].resource.status", equalTo("inactive"));

    given().auth().oauth2(Tokens.user("caldicott.mht"))
        .get("/fhir/Consent?patient=" + person + "&status=active")
        .then().statusCode(200).body("total", equalTo(0));
    given().auth().oauth2(Tokens.user("caldicott.mht"))
        .queryParam("patient", person).queryParam("status", "inactive,entered-in-error")
        .queryParam("actor:identifier", "https://fhir.nhs.uk/Id/ods-organization-code|LA001")
        .get("/fhir/Consent")
        .then().statusCode(200).body("total", equalTo(1));
    given().auth().oauth2(Tokens.user("caldicott.mht"))
        .queryParam("patient", person).queryParam("actor:identifier", "MHT01")
        .get("/fhir/Consent")
        .then().statusCode(200).body("total", equalTo(0));
    // across persons: the consents that name an organisation, for its privacy officer or an administrator only
    given().auth().oauth2(Tokens.user("admin"))
        .queryParam("actor:identifier", "https://fhir.nhs.uk/Id/ods-organization-code|LA001")
        .queryParam("status", "inactive")
        .get("/fhir/Consent")
        .then().statusCode(200).body("entry.resource.id", org.hamcrest.Matchers.hasItem(consentId));
    given().auth().oauth2(Tokens.user("caldicott.mht"))
        .queryParam("actor:identifier", "LA001")
        .get("/fhir/Consent")
        .then().statusCode(403);
    given().auth().oauth2(Tokens.user("caldicott.mht"))
        .get("/fhir/Consent?patient=" + person + "&status=sideways")
        .then().statusCode(400).body("issue[0].diagnostics", containsString("status"));

    var events = EventProbe.await("tellonce-test.consent.v1", e -> person.equals(e.key()), 2, Duration.ofSeconds(20));
    assertThat(events).hasSize(2);
    assertThat(events.get(1).data()).contains("\"status\":\"inactive\"");
    assertThat(events.get(1).header("ce_type")).isEqualTo("org.tellonce.consent.changed.v1");
  }

  @Test
  void aRedeliveredCareTeamEventIsAppliedOnce() {
    String person = UUID.randomUUID().toString();
    String team = UUID.randomUUID().toString();
    String eventId = UUID.randomUUID().toString();
    publishCareTeam(eventId, person, team, 1, "MHT01");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        decide("care-record", person, "MHT01", "TREAT").body("decisions[0].decision", equalTo("PERMIT")));
    long revision = decide("care-record", person, "MHT01", "TREAT").extract().jsonPath().getLong("revision");
    // The same event id again, even with other content, is a redelivery and changes nothing.
    publishCareTeam(eventId, person, team, 2, "MHT01", "GPP01");
    // A later, distinct event proves the consumer has moved past the redelivery.
    careTeam(UUID.randomUUID().toString(), UUID.randomUUID().toString(), 1, "VCS01");
    decide("care-record", person, "GPP01", "TREAT").body("decisions[0].decision", equalTo("DENY"));
    assertThat(decide("care-record", person, "MHT01", "TREAT").extract().jsonPath().getLong("revision"))
        .isEqualTo(revision);
  }

  @Test
  void aPoisonEventGoesToTheDeadLetterTopicWithItsReason() {
    String person = UUID.randomUUID().toString();
    EventProbe.publish(CARE_TEAMS, person, null, CARE_TEAM_CHANGED, "{\"careTeamId\":\"x\"}");
    var dead = EventProbe.await("tellonce-test.identity.careteam.v1.consent.dlq", e -> person.equals(e.key()), 1,
        Duration.ofSeconds(30));
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).header("dead-letter-reason")).contains("ce_id");
  }

  @Test
  void onlyAServiceMayAskForAnotherActor() {
    given().auth().oauth2(Tokens.user("sw.council"))
        .contentType("application/json")
        .body("""
            {"subject":"p","actor":{"organization":"MHT01","roles":["clinician"]},
             "data":[{"id":"x","resourceType":"Flag"}]}""")
        .post("/decisions")
        .then().statusCode(403)
        .body("resourceType", equalTo("OperationOutcome"));
  }

  @Test
  void aUserAsksForThemselvesByDefault() {
    String person = UUID.randomUUID().toString();
    careTeam(person, UUID.randomUUID().toString(), 1, "LA001");
    given().auth().oauth2(Tokens.user("sw.council"))
        .contentType("application/json")
        .body("{\"subject\":\"%s\",\"data\":[{\"id\":\"x\",\"resourceType\":\"Flag\"}]}".formatted(person))
        .post("/decisions")
        .then().statusCode(200)
        .body("decisions[0].decision", equalTo("PERMIT"));
    given().auth().oauth2(Tokens.user("gp.riverside"))
        .contentType("application/json")
        .body("{\"subject\":\"%s\",\"data\":[{\"id\":\"x\",\"resourceType\":\"Flag\"}]}".formatted(person))
        .post("/decisions")
        .then().statusCode(200)
        .body("decisions[0].decision", equalTo("DENY"));
  }

  @Test
  void refusesBadDecisionRequestsWith400() {
    given().auth().oauth2(Tokens.service("care-record")).contentType("application/json")
        .body("{\"subject\":\"p\",\"purpose\":\"SHOPPING\",\"data\":[{\"id\":\"x\",\"resourceType\":\"Flag\"}]}")
        .post("/decisions").then().statusCode(400).body("issue[0].diagnostics", containsString("purpose"));
    given().auth().oauth2(Tokens.service("care-record")).contentType("application/json")
        .body("{\"subject\":\"p\",\"data\":[]}")
        .post("/decisions").then().statusCode(400).body("issue[0].diagnostics", containsString("data"));
    given().auth().oauth2(Tokens.service("care-record")).contentType("application/json")
        .body("{\"subject\":")
        .post("/decisions").then().statusCode(400).body("resourceType", equalTo("OperationOutcome"));
    given().contentType("application/json")
        .body("{\"subject\":\"p\",\"data\":[{\"id\":\"x\",\"resourceType\":\"Flag\"}]}")
        .post("/decisions").then().statusCode(401);
  }

  @Test
  void refusesAConsentOutsidePatientPrivacyWith422() {
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json")
        .body(objection("p1", "LA001").replace("patient-privacy", "research"))
        .post("/fhir/Consent")
        .then().statusCode(422)
        .body("issue[0].diagnostics", containsString("patient-privacy"));
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json")
        .body(objection("p1", "LA001").replace("ods-organization-code", "something-else"))
        .post("/fhir/Consent")
        .then().statusCode(422)
        .body("issue[0].diagnostics", containsString("Organization by identifier"));
    given().auth().oauth2(Tokens.user("worker.vcse"))
        .contentType("application/fhir+json")
        .body(objection("p1", "LA001"))
        .post("/fhir/Consent")
        .then().statusCode(403);
  }

  @Test
  void aDecisionThatDisclosesSensitiveDataIsToldOnTheAuditTopic() throws Exception {
    String person = UUID.randomUUID().toString();
    careTeam(person, UUID.randomUUID().toString(), 1, "MHT01", "LA001");
    given().auth().oauth2(Tokens.service("care-record"))
        .contentType("application/json")
        .body("""
            {"subject":"%s","purpose":"TREAT","actor":{"organization":"MHT01","user":"nurse.mht","roles":["clinician"]},
             "data":[{"id":"Condition/psy","resourceType":"Condition","labels":["PSY"]},
                     {"id":"AllergyIntolerance/plain","resourceType":"AllergyIntolerance","labels":[]}]}
            """.formatted(person))
        .post("/decisions")
        .then().statusCode(200)
        .body("decisions[0].decision", equalTo("PERMIT"));
    var audits = EventProbe.await("tellonce-test.audit.v1", e -> person.equals(e.key()), 1, Duration.ofSeconds(20));
    assertThat(audits).hasSize(1);
    assertThat(audits.get(0).header("ce_type")).isEqualTo("org.tellonce.consent.disclosure.v1");
    assertThat(audits.get(0).data()).contains("Condition/psy").contains("\"basis\":\"policy/direct-care\"")
        .doesNotContain("AllergyIntolerance/plain").contains("\"user\":\"nurse.mht\"");
    assertThat(org.tellonce.testing.EventContracts.problems(audits.get(0))).isEmpty();
  }

  static ValidatableResponse mayShare(String asker, String personId, String recipient, String role) {
    return given().auth().oauth2(Tokens.user(asker))
        .contentType("application/json")
        .body("""
            {"subject":"%s","purpose":"TREAT","recipient":{"organization":"%s","roles":["%s"]},
             "data":[{"id":"Condition/psy","resourceType":"Condition","labels":["PSY"]},
                     {"id":"AllergyIntolerance/a","resourceType":"AllergyIntolerance","labels":[]}]}
            """.formatted(personId, recipient, role))
        .post("/decisions")
        .then().statusCode(200);
  }

  @Test
  void canIShareThisWithThemIsAnsweredForTheRecipientAmongWhatTheAskerMaySee() {
    String person = UUID.randomUUID().toString();
    careTeam(person, UUID.randomUUID().toString(), 1, "MHT01", "LA001");
    mayShare("nurse.mht", person, "LA001", "social-worker")
        .body("decisions[0].decision", equalTo("DENY"))
        .body("decisions[0].reasons[0].text", containsString("mental health information"))
        .body("decisions[1].decision", equalTo("PERMIT"));
    mayShare("nurse.mht", person, "GPP01", "clinician")
        .body("decisions[1].decision", equalTo("DENY"))
        .body("decisions[1].reasons[0].source", equalTo("policy/no-legitimate-relationship"));
    // the council may not see the mental-health record itself, so it learns nothing about sharing it
    mayShare("sw.council", person, "MHT01", "clinician")
        .body("decisions[0].decision", equalTo("DENY"))
        .body("decisions[0].reasons[0].source", equalTo("question/not-yours"))
        .body("decisions[1].decision", equalTo("PERMIT"));
    given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/json")
        .body("{\"subject\":\"%s\",\"recipient\":{\"organization\":\"not an org\"},\"data\":[{\"id\":\"x\",\"resourceType\":\"Flag\"}]}"
            .formatted(person))
        .post("/decisions").then().statusCode(400).body("issue[0].diagnostics", containsString("recipient"));
  }

  @Test
  void aConsentNamingAnOrganisationNobodyKnowsIsRefused() {
    SharingAgreements.ensure(null);
    String unknown = "XQ" + java.util.concurrent.ThreadLocalRandom.current().nextInt(100000, 999999);
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json")
        .body(objection(UUID.randomUUID().toString(), unknown))
        .post("/fhir/Consent")
        .then().statusCode(422)
        .body("issue[0].diagnostics", containsString(unknown))
        .body("issue[0].diagnostics", containsString("no data-sharing agreement, care team or referral"));
  }

  @Test
  void decisionsAreCountedByOutcomeAndRuleWithoutPersonData() {
    String person = UUID.randomUUID().toString();
    careTeam(person, UUID.randomUUID().toString(), 1, "MHT01", "LA001");
    decide("care-record", person, "GPP01", "TREAT").body("decisions[0].decision", equalTo("DENY"));
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics).containsPattern(
        "tellonce_decisions_total\\{[^}]*decision=\"permit\"[^}]*rule=\"policy/direct-care\"[^}]*} [1-9]");
    assertThat(metrics).containsPattern(
        "tellonce_decisions_total\\{[^}]*decision=\"deny\"[^}]*rule=\"policy/no-legitimate-relationship\"");
    assertThat(metrics).doesNotContain(person);
    assertThat(metrics).containsPattern("tellonce_outbox_backlog(\\{[^}]*})? [0-9]")
        .containsPattern("tellonce_outbox_oldest_seconds(\\{[^}]*})? [0-9]");
    // consumer lag of each incoming channel (Kafka's own client metrics, through Micrometer)
    assertThat(metrics).containsPattern(
        "kafka_consumer_fetch_manager_records_lag_max\\{[^}]*client_id=\"kafka-consumer-careteams\"[^}]*} [0-9]");
  }
}
