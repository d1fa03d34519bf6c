package org.tellonce.carerecord.record;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.tellonce.carerecord.access.AccessGate;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/**
 * The care record on its own: the consent service is deliberately unreachable here (see %test config), which proves the
 * fail-closed path. Consent-gated disclosures are proven end to end in services/system-tests.
 */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "care_record_test"))
class RecordResourceTest {

  static String allergy(String personId) {
    return """
        {"resourceType":"AllergyIntolerance",
         "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":"active"}]},
         "code":{"text":"Penicillin"},
         "patient":{"reference":"Patient/%s"}}
        """.formatted(personId);
  }

  static String create(String personId) {
    return given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json")
        .body(allergy(personId))
        .post("/fhir/AllergyIntolerance")
        .then().statusCode(201)
        .extract().path("id");
  }

  @Test
  void storesAResourceWithItsSourceOrganisationAndPublishesIt() {
    String person = UUID.randomUUID().toString();
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json")
        .body(allergy(person))
        .post("/fhir/AllergyIntolerance")
        .then().statusCode(201)
        .header("Location", containsString("AllergyIntolerance/"))
        .body("meta.versionId", equalTo("1"))
        .body("meta.tag.find { it.system == 'https://tellonce.org/CodeSystem/source-organization' }.code",
            equalTo("MHT01"));
    var events = EventProbe.await("tellonce-test.record.v1", e -> person.equals(e.key()), 1, Duration.ofSeconds(20));
    assertThat(events).hasSize(1);
    assertThat(events.get(0).data()).contains("\"sourceOrganization\":\"MHT01\"").doesNotContain("Penicillin");
  }

  @Test
  void refusesToReadWhenTheConsentServiceCannotBeReached() {
    String person = UUID.randomUUID().toString();
    String id = create(person);
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .get("/fhir/AllergyIntolerance/" + id)
        .then().statusCode(503)
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].diagnostics", containsString("consent service cannot be reached"))
        .body(not(containsString("Penicillin")));
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .get("/fhir/AllergyIntolerance?patient=" + person)
        .then().statusCode(503)
        .body(not(containsString("Penicillin")));
    // the benchmark's per-request switch means nothing as shipped
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .header(AccessGate.BENCHMARK_HEADER, "off")
        .get("/fhir/AllergyIntolerance/" + id)
        .then().statusCode(503)
        .body(not(containsString("Penicillin")));
  }

  @Test
  void answersAMissingResourceWith404() {
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .get("/fhir/AllergyIntolerance/" + UUID.randomUUID())
        .then().statusCode(404)
        .body("issue[0].code", equalTo("not-found"));
  }

  @Test
  void refusesAResourceWithoutItsPersonWith422() {
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json")
        .body("{\"resourceType\":\"Condition\",\"code\":{\"text\":\"x\"}}")
        .post("/fhir/Condition")
        .then().statusCode(422)
        .body("issue[0].diagnostics", containsString("Condition.subject"));
  }

  @Test
  void refusesABodyOfAnotherTypeAndUnknownTypes() {
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json")
        .body(allergy("p1"))
        .post("/fhir/Condition")
        .then().statusCode(400)
        .body("issue[0].diagnostics", containsString("AllergyIntolerance"));
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .get("/fhir/Spaceship/1")
        .then().statusCode(404)
        .body("resourceType", equalTo("OperationOutcome"));
  }

  @Test
  void refusesUnsupportedSearchParametersAndPurposes() {
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .get("/fhir/AllergyIntolerance?patient=p1&_sort=colour")
        .then().statusCode(400)
        .body("issue[0].diagnostics", containsString("_sort"));
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .get("/fhir/AllergyIntolerance?code=x")
        .then().statusCode(400);
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .header("X-Purpose-Of-Use", "MARKETING")
        .get("/fhir/AllergyIntolerance?patient=p1")
        .then().statusCode(400)
        .body("issue[0].diagnostics", containsString("X-Purpose-Of-Use"));
  }

  @Test
  void answers401And403AsOperationOutcomes() {
    given().get("/fhir/AllergyIntolerance?patient=p1").then().statusCode(401)
        .body("resourceType", equalTo("OperationOutcome"));
    given().auth().oauth2(Tokens.user("caldicott.mht"))
        .get("/fhir/AllergyIntolerance?patient=p1").then().statusCode(403)
        .body("resourceType", equalTo("OperationOutcome"));
  }

  @Test
  void auditsEveryAccessInAnUnbrokenHashChain() throws Exception {
    String person = UUID.randomUUID().toString();
    String id = create(person);
    given().auth().oauth2(Tokens.user("sw.council")).get("/fhir/AllergyIntolerance/" + id).then().statusCode(503);

    var config = ConfigProvider.getConfig();
    String url = "jdbc:postgresql://" + config.getValue("tellonce.postgres.host", String.class) + ":"
        + config.getValue("tellonce.postgres.port", String.class) + "/care_record_test";
    try (var connection = DriverManager.getConnection(url, "postgres", "")) {
      try (var rows = connection.createStatement().executeQuery(
          "select actor_user, actor_org, action, outcome from audit_event where person_id = '" + person
              + "' order by position")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString("action")).isEqualTo("create");
        assertThat(rows.getString("actor_org")).isEqualTo("MHT01");
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString("action")).isEqualTo("read");
        assertThat(rows.getString("actor_user")).isEqualTo("sw.council");
        assertThat(rows.getString("actor_org")).isEqualTo("LA001");
        assertThat(rows.getString("outcome")).isEqualTo("failed");
      }
      // The trail is several chains (by person); each links every entry to the one before it in that chain.
      java.util.Map<Integer, String> previous = new java.util.HashMap<>();
      int entries = 0;
      try (var rows = connection.createStatement().executeQuery(
          "select chain, resource, previous_hash, hash from audit_event order by chain, position")) {
        while (rows.next()) {
          String before = previous.getOrDefault(rows.getInt("chain"), "0".repeat(64));
          MessageDigest digest = MessageDigest.getInstance("SHA-256");
          digest.update(before.getBytes(StandardCharsets.UTF_8));
          digest.update(rows.getString("resource").getBytes(StandardCharsets.UTF_8));
          assertThat(rows.getString("previous_hash")).isEqualTo(before);
          assertThat(rows.getString("hash")).isEqualTo(HexFormat.of().formatHex(digest.digest()));
          previous.put(rows.getInt("chain"), rows.getString("hash"));
          entries++;
        }
      }
      assertThat(entries).isGreaterThanOrEqualTo(2);
    }
  }
}
