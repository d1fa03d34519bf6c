package org.tellonce.carerecord.mdt;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tellonce.carerecord.record.MdtConventions;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/** An MDT meeting in the record: one discussion per person, with its meeting, date, attendees and chair; owned actions. */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "care_record_test"))
class MdtMeetingTest {

  static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";

  static ValidatableResponse post(String type, String body) {
    return given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json").body(body)
        .post("/fhir/" + type).then();
  }

  static String discussion(String person, String meeting, String extra) {
    return """
        {"resourceType":"Encounter","status":"finished",
         "class":{"system":"%s","code":"%s","display":"Multidisciplinary team meeting"},
         "subject":{"reference":"Patient/%s"}%s}""".formatted(MdtConventions.CLASS_SYSTEM, MdtConventions.MDT, person,
        meeting == null ? extra : """
            ,"identifier":[{"system":"%s","value":"%s"}],"period":{"start":"2026-11-30T10:00:00Z"},
            "participant":[{"individual":{"identifier":{"system":"https://fhir.tellonce.org/Id/keycloak-username",
              "value":"nurse.mht"},"display":"Community mental health nurse"}},
              {"individual":{"display":"Social worker, LA001"}}],
            "reasonCode":[{"text":"Discharge planning"}],
            "serviceProvider":{"identifier":{"system":"%s","value":"MHT01"}}%s""".formatted(
            MdtConventions.MEETING_SYSTEM, meeting, ODS, extra));
  }

  static String action(String person, String encounter, String owner, String due) {
    return """
        {"resourceType":"Task","status":"requested","intent":"order","description":"Arrange a housing assessment",
         "for":{"reference":"Patient/%s"},"encounter":{"reference":"Encounter/%s"}%s%s}""".formatted(person, encounter,
        owner == null ? "" : ",\"owner\":{\"identifier\":{\"system\":\"" + ODS + "\",\"value\":\"" + owner + "\"}}",
        due == null ? "" : ",\"restriction\":{\"period\":{\"end\":\"" + due + "\"}}");
  }

  @Test
  void theClassIsTheOneTheContractPublishes() throws Exception {
    com.fasterxml.jackson.databind.JsonNode codeSystem = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        java.nio.file.Path.of("../../contracts/fhir/CodeSystem-tellonce-encounter-class.json").toFile());
    org.assertj.core.api.Assertions.assertThat(codeSystem.path("url").asText()).isEqualTo(MdtConventions.CLASS_SYSTEM);
    org.assertj.core.api.Assertions.assertThat(codeSystem.path("concept").findValuesAsText("code"))
        .containsExactly(MdtConventions.MDT);
  }

  @Test
  void theWorklistOperationIsTheOneTheContractDefines() throws Exception {
    org.hl7.fhir.r4.model.OperationDefinition definition = (org.hl7.fhir.r4.model.OperationDefinition)
        org.tellonce.platform.fhir.Fhir.context().newJsonParser().setParserErrorHandler(
            new ca.uhn.fhir.parser.StrictErrorHandler()).parseResource(java.nio.file.Files.readString(
            java.nio.file.Path.of("../../contracts/fhir/OperationDefinition-Task-overdue.json")));
    org.assertj.core.api.Assertions.assertThat(definition.getCode()).isEqualTo("overdue");
    org.assertj.core.api.Assertions.assertThat(new org.tellonce.carerecord.CareRecordCapabilities().operations())
        .contains(definition.getUrl());
    given().get("/fhir/metadata").then().statusCode(200)
        .body("rest[0].operation.find { it.name == 'overdue' }.definition", org.hamcrest.Matchers.equalTo(
            definition.getUrl()));
  }

  @Test
  void aDiscussionNamesItsMeetingDateAttendeesAndChair() {
    String person = UUID.randomUUID().toString();
    post("Encounter", discussion(person, null, "")).statusCode(422).body("issue[0].diagnostics", allOf(
        containsString("An MDT discussion needs"), containsString("Encounter.identifier"),
        containsString("Encounter.period.start"), containsString("Encounter.participant"),
        containsString("Encounter.serviceProvider")));
    post("Encounter", discussion(person, "MDT-2026-11-30-EAST", "")).statusCode(201);
  }

  @Test
  void itsActionsHaveAnOwnerAndADueDateWhileOtherTasksNeedNeither() {
    String person = UUID.randomUUID().toString();
    String mdt = post("Encounter", discussion(person, "MDT-" + person, "")).statusCode(201).extract().path("id");
    post("Task", action(person, mdt, null, null)).statusCode(422).body("issue[0].diagnostics", allOf(
        containsString("An MDT action needs"), containsString("Task.owner"),
        containsString("Task.restriction.period.end")));
    post("Task", action(person, mdt, "LA001", "2026-12-14")).statusCode(201);

    String visit = post("Encounter", """
        {"resourceType":"Encounter","status":"finished",
         "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"HH"},
         "subject":{"reference":"Patient/%s"}}""".formatted(person)).statusCode(201).extract().path("id");
    post("Task", action(person, visit, null, null)).statusCode(201);
  }
}
