package org.tellonce.carerecord.record;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/**
 * The store's write side on its own (the consent service is unreachable here, so every read fails closed): versions,
 * search index and Provenance written with each resource, conditional create scoped to the writer's organisation,
 * references kept within the person, and the refusals that need no decision.
 */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "care_record_test"))
class RecordStoreTest {

  static RequestSpecification as(String user) {
    return given().auth().oauth2(Tokens.user(user)).contentType("application/fhir+json");
  }

  static List<String> query(String sql) throws Exception {
    var config = ConfigProvider.getConfig();
    String url = "jdbc:postgresql://" + config.getValue("tellonce.postgres.host", String.class) + ":"
        + config.getValue("tellonce.postgres.port", String.class) + "/care_record_test";
    List<String> values = new ArrayList<>();
    try (var connection = DriverManager.getConnection(url, "postgres", "");
        var rows = connection.createStatement().executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }

  static String observation(String person, String identifier) {
    return """
        {"resourceType":"Observation","status":"final",
         "identifier":[{"system":"https://mht.example.nhs.uk/obs","value":"%s"}],
         "meta":{"security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"PSY"},
                             {"system":"http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"N"}]},
         "code":{"coding":[{"system":"http://snomed.info/sct","code":"271649006"}]},
         "effectiveDateTime":"2024-03-01T10:00:00Z",
         "subject":{"reference":"Patient/%s"}}
        """.formatted(identifier, person);
  }

  @Test
  void writesTheFirstVersionItsSearchIndexAndAProvenance() throws Exception {
    String person = UUID.randomUUID().toString();
    String id = as("nurse.mht").body(observation(person, UUID.randomUUID().toString()))
        .post("/fhir/Observation")
        .then().statusCode(201)
        .header("ETag", equalTo("W/\"1\""))
        .header("Location", containsString("Observation/"))
        .body("meta.versionId", equalTo("1"))
        .extract().path("id");
    assertThat(query("select labels from record_resource where id = '" + id + "'")).containsExactly("N,PSY");
    assertThat(query("select version || ':' || labels from record_version where id = '" + id + "'"))
        .containsExactly("1:N,PSY");
    assertThat(query("select param || '=' || coalesce(code, low::text) from record_index where id = '" + id + "'"))
        .contains("code=271649006", "status=final", "date=2024-03-01 10:00:00+00");
    List<String> provenance = query("select r.resource from record_index i join record_resource r"
        + " on r.resource_type = i.resource_type and r.id = i.id"
        + " where i.param = 'target' and i.code = 'Observation/" + id + "'");
    assertThat(provenance).hasSize(1);
    assertThat(provenance.get(0)).contains("Observation/" + id + "/_history/1").contains("\"CREATE\"")
        .contains("nurse.mht").contains("MHT01").contains("PSY");
    assertThat(query("select labels || '|' || person_id from record_resource where resource_type = 'Provenance'"
        + " and id in (select id from record_index where code = 'Observation/" + id + "')"))
        .containsExactly("N,PSY|" + person);
  }

  @Test
  void aConditionalCreateMatchesOnlyWhatTheSameOrganisationRecorded() throws Exception {
    String person = UUID.randomUUID().toString();
    String identifier = UUID.randomUUID().toString();
    String header = "identifier=https://mht.example.nhs.uk/obs|" + identifier;
    as("nurse.mht").header("If-None-Exist", header).body(observation(person, identifier))
        .post("/fhir/Observation").then().statusCode(201);
    // The match exists; whether the caller may see it is for the consent service, which is down: fail closed.
    as("nurse.mht").header("If-None-Exist", header).body(observation(person, identifier))
        .post("/fhir/Observation").then().statusCode(503);
    assertThat(query("select count(*) from record_resource r join record_index i on i.id = r.id"
        + " where i.param = 'identifier' and i.code = '" + identifier + "'")).containsExactly("1");
    // Another organisation's identifier space is its own: its record is created.
    as("sw.council").header("If-None-Exist", header).body(observation(person, identifier))
        .post("/fhir/Observation").then().statusCode(201);
    as("nurse.mht").header("If-None-Exist", "code=271649006").body(observation(person, identifier))
        .post("/fhir/Observation").then().statusCode(400)
        .body("issue[0].diagnostics", containsString("identifier=system|value"));
  }

  @Test
  void keepsReferencesWithinThePerson() {
    String person = UUID.randomUUID().toString();
    String other = UUID.randomUUID().toString();
    String theirs = as("nurse.mht").body(observation(other, "x")).post("/fhir/Observation")
        .then().statusCode(201).extract().path("id");
    String mine = as("nurse.mht").body(observation(person, "y")).post("/fhir/Observation")
        .then().statusCode(201).extract().path("id");
    String task = """
        {"resourceType":"Task","status":"requested","intent":"order","for":{"reference":"Patient/%s"},
         "focus":{"reference":"%s"}}
        """;
    as("nurse.mht").body(task.formatted(person, "Observation/" + theirs)).post("/fhir/Task")
        .then().statusCode(422)
        .body("issue[0].diagnostics", containsString("names no resource held about this person"))
        .body(org.hamcrest.Matchers.not(containsString(other)));
    as("nurse.mht").body(task.formatted(person, "Patient/" + other)).post("/fhir/Task")
        .then().statusCode(422)
        .body("issue[0].diagnostics", containsString("only the person it is about"));
    as("nurse.mht").body(task.formatted(person, "Observation/" + mine)).post("/fhir/Task")
        .then().statusCode(201);
  }

  @Test
  void refusesInvalidFhirWithTheValidatorsIssuesAndStoresNothing() throws Exception {
    String person = UUID.randomUUID().toString();
    as("nurse.mht").body("{\"resourceType\":\"Observation\",\"status\":\"final\","
            + "\"subject\":{\"reference\":\"Patient/" + person + "\"},"
            + "\"performer\":[{\"identifier\":{\"system\":\"https://fhir.nhs.uk/Id/nhs-number\",\"value\":\"9434765918\"}}]}")
        .post("/fhir/Observation").then().statusCode(422)
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue.diagnostics", hasItem(containsString("modulus-11")))
        .body("issue.expression.flatten()", hasItem(containsString("Observation")))
        .body("issue[0].diagnostics", containsString("not valid"));
    as("nurse.mht").body("{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
            + "\"meta\":{\"profile\":[\"http://127.0.0.1:9/StructureDefinition/Elsewhere\"]},"
            + "\"subject\":{\"reference\":\"Patient/" + person + "\"}}")
        .post("/fhir/Observation").then().statusCode(422);
    assertThat(query("select count(*) from record_resource where person_id = '" + person + "'")).containsExactly("0");
  }

  @Test
  void provenanceIsWrittenOnlyByTheRecord() {
    as("nurse.mht").body("{\"resourceType\":\"Provenance\",\"recorded\":\"2024-01-01T00:00:00Z\"}")
        .post("/fhir/Provenance").then().statusCode(405)
        .body("issue[0].diagnostics", containsString("written by the shared record"));
    as("nurse.mht").body("{\"resourceType\":\"Provenance\",\"id\":\"p\"}")
        .put("/fhir/Provenance/p").then().statusCode(405);
  }

  @Test
  void refusesMalformedWritesBeforeAskingAnyone() {
    String person = UUID.randomUUID().toString();
    as("nurse.mht").body("{\"resourceType\":\"Observation\",\"id\":\"abc\",\"status\":\"final\","
            + "\"code\":{\"text\":\"x\"},\"subject\":{\"reference\":\"Patient/" + person + "\"}}")
        .post("/fhir/Observation").then().statusCode(400)
        .body("issue[0].diagnostics", containsString("must not carry an id"));
    as("nurse.mht").body("{\"resourceType\":\"Observation\",\"id\":\"abc\"}")
        .put("/fhir/Observation/xyz").then().statusCode(400)
        .body("issue[0].diagnostics", containsString("id in the URL"));
    as("nurse.mht").header("If-Match", "version-two").body("{\"resourceType\":\"Observation\",\"id\":\"abc\"}")
        .put("/fhir/Observation/abc").then().statusCode(400)
        .body("issue[0].diagnostics", containsString("If-Match"));
    as("nurse.mht").body("{\"resourceType\":\"Observation\",\"id\":\"abc\"}")
        .put("/fhir/Observation/" + UUID.randomUUID()).then().statusCode(400);
  }

  @Test
  void aSearchOfAPersonWithNothingHeldNeedsNoDecisionAndSaysAlikeWhateverIsWithheld() {
    String person = UUID.randomUUID().toString();
    as("nurse.mht").header("Prefer", "handling=lenient")
        .get("/fhir/Observation?subject=" + person + "&colour=red")
        .then().statusCode(200)
        .body("total", equalTo(0))
        .body("entry.resource.issue.flatten().diagnostics", hasItem(containsString("colour")))
        .body("entry.resource.issue.flatten().diagnostics", hasItem(containsString("may be withheld")));
    as("nurse.mht").get("/fhir/Observation?subject=" + person + "&colour=red")
        .then().statusCode(400)
        .body("issue[0].diagnostics", containsString("handling=lenient"));
  }
}
