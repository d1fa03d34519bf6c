package org.tellonce.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.SharingAgreements;
import org.tellonce.testing.Tokens;

/**
 * The MDT worklist across people: an organisation's overdue actions, oldest first, only about people it may see, each
 * person's read gated and audited.
 */
class MdtWorklistIT {

  static final String ODS = People.ODS;

  @BeforeAll
  static void underTheIcsAgreement() {
    SharingAgreements.ensure(Services.CONSENT);
  }

  static String post(String user, String type, String body) {
    return given().baseUri(Services.CARE_RECORD).auth().oauth2(Tokens.user(user)).contentType("application/fhir+json")
        .body(body).post("/fhir/" + type).then().statusCode(201).extract().path("id");
  }

  /** An MDT discussion of the person, chaired by the organisation. */
  static String discussion(String user, String personId, String chair) {
    return post(user, "Encounter", """
        {"resourceType":"Encounter","status":"finished",
         "class":{"system":"https://fhir.tellonce.org/CodeSystem/encounter-class","code":"mdt"},
         "subject":{"reference":"Patient/%s"},
         "identifier":[{"system":"https://fhir.tellonce.org/Id/mdt-meeting","value":"MDT-%s"}],
         "period":{"start":"2025-05-01T10:00:00Z"},
         "participant":[{"individual":{"display":"Community mental health nurse"}}],
         "serviceProvider":{"identifier":{"system":"%s","value":"%s"}}}""".formatted(personId, personId, ODS, chair));
  }

  /** An action of the discussion: owned by {@code owner}, due on {@code due}, with the status. */
  static String action(String user, String personId, String encounter, String owner, String due, String status) {
    return post(user, "Task", """
        {"resourceType":"Task","status":"%s","intent":"order","description":"Arrange a housing assessment",
         "for":{"reference":"Patient/%s"},"encounter":{"reference":"Encounter/%s"},
         "owner":{"identifier":{"system":"%s","value":"%s"}},
         "restriction":{"period":{"end":"%s"}}}""".formatted(status, personId, encounter, ODS, owner, due));
  }

  static List<String> worklist(String user, String query) {
    JsonPath bundle = given().baseUri(Services.CARE_RECORD).auth().oauth2(Tokens.user(user)).urlEncodingEnabled(false)
        .get("/fhir/Task/$overdue" + query).then().statusCode(200).extract().jsonPath();
    assertThat(bundle.getString("type")).isEqualTo("searchset");
    return bundle.getList("entry.findAll { it.search.mode == 'match' }.resource.id");
  }

  @Test
  void anOrganisationSeesItsOverdueActionsAcrossThePeopleItWorksWithOldestFirst() {
    String ann = People.register("nurse.mht", "Worklist", "Ann", "1950-01-01");
    String bob = People.register("nurse.mht", "Worklist", "Bob", "1951-02-02");
    String cat = People.register("gp.riverside", "Worklist", "Cat", "1952-03-03");
    People.careTeam("nurse.mht", ann, "MHT01");
    People.careTeam("nurse.mht", bob, "MHT01", "LA001");
    People.careTeam("gp.riverside", cat, "GPP01");

    String annMdt = discussion("nurse.mht", ann, "MHT01");
    String annOverdue = action("nurse.mht", ann, annMdt, "MHT01", "2026-01-10", "requested");
    String annLater = action("nurse.mht", ann, annMdt, "MHT01", "2099-01-01", "requested");
    String annDone = action("nurse.mht", ann, annMdt, "MHT01", "2025-12-01", "completed");
    String bobMdt = discussion("nurse.mht", bob, "MHT01");
    String bobOverdue = action("nurse.mht", bob, bobMdt, "MHT01", "2025-06-01", "in-progress");
    String bobCouncil = action("nurse.mht", bob, bobMdt, "LA001", "2025-07-01", "requested");
    // about someone the trust has no relationship with: recorded by the GP, owned by the trust
    String catMdt = discussion("gp.riverside", cat, "GPP01");
    String catOverdue = action("gp.riverside", cat, catMdt, "MHT01", "2025-01-01", "requested");

    List<String> ours = List.of(annOverdue, annLater, annDone, bobOverdue, bobCouncil, catOverdue);
    List<String> trust = worklist("nurse.mht", "?_count=200").stream().filter(ours::contains).toList();
    assertThat(trust).as("overdue, open, owned by the trust, about people it may see; oldest first")
        .containsExactly(bobOverdue, annOverdue);
    List<String> council = worklist("sw.council", "?_count=200").stream().filter(ours::contains).toList();
    assertThat(council).containsExactly(bobCouncil);
    assertThat(worklist("nurse.mht", "?_count=1")).hasSize(1);

    given().baseUri(Services.CARE_RECORD).auth().oauth2(Tokens.user("nurse.mht")).urlEncodingEnabled(false)
        .get("/fhir/Task/$overdue?_count=0")
        .then().statusCode(400).body("resourceType", org.hamcrest.Matchers.equalTo("OperationOutcome"));
  }
}
