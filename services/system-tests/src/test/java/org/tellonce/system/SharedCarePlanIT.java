package org.tellonce.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.tellonce.system.SharedRecordIT.get;
import static org.tellonce.system.SharedRecordIT.person;
import static org.tellonce.system.SharedRecordIT.record;
import static org.tellonce.system.SharedRecordIT.write;

import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.SharingAgreements;

/**
 * One shared care plan per person, contributed to by every organisation in the care team: each activity keeps the
 * organisation that contributed it, a second open plan is refused with the one to add to, and only those who may see
 * the person's care plan may start or change it.
 */
class SharedCarePlanIT {

  static final String CONTRIBUTOR = "https://fhir.tellonce.org/StructureDefinition/contributor";
  static final String SOURCE = "https://tellonce.org/CodeSystem/source-organization";

  @BeforeAll
  static void underTheIcsAgreement() {
    SharingAgreements.ensure(Services.CONSENT);
  }

  static String plan(String personId, String status, String... activities) {
    List<String> items = new ArrayList<>();
    for (String activity : activities) {
      items.add("{\"detail\":{\"status\":\"scheduled\",\"description\":\"" + activity + "\"}}");
    }
    return """
        {"resourceType":"CarePlan","status":"%s","intent":"plan","subject":{"reference":"Patient/%s"},
         "title":"Shared care plan","activity":[%s]}""".formatted(status, personId, String.join(",", items));
  }

  /** Each activity and its organisation: its contributor, or else the organisation that recorded the plan. */
  static List<String> contributions(JsonPath plan) {
    List<String> found = new ArrayList<>();
    String recorder = plan.getString("meta.tag.find { it.system == '" + SOURCE + "' }.code");
    List<Map<String, Object>> activities = plan.getList("activity");
    for (int i = 0; i < activities.size(); i++) {
      String contributor = plan.getString("activity[" + i + "].extension.find { it.url == '" + CONTRIBUTOR
          + "' }.valueReference.identifier.value");
      found.add(plan.getString("activity[" + i + "].detail.description") + " by "
          + (contributor == null ? recorder + " (recorder)" : contributor));
    }
    return found;
  }

  @Test
  void theCareTeamContributesToOnePlanAndEachKeepsItsOwnActivities() {
    String personId = person();
    String planId = write("nurse.mht", "CarePlan", plan(personId, "active", "Medication review"));

    // a second open plan is refused, naming the one to add to
    record("nurse.mht").body(plan(personId, "draft", "Another")).post("/fhir/CarePlan").then().statusCode(409)
        .body("issue[0].diagnostics", containsString("CarePlan/" + planId));
    // a plan with sensitivity labels would be hidden from part of the care team
    record("nurse.mht").body(plan(personId, "active", "x").replace("\"intent\"",
            "\"meta\":{\"security\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"PSY\"}]},"
                + "\"intent\"")).post("/fhir/CarePlan").then().statusCode(422);
    // the GP practice is not in the person's care team: it may not start a plan, whether or not one exists
    record("gp.riverside").body(plan(personId, "active", "Annual review")).post("/fhir/CarePlan").then()
        .statusCode(403);
    String stranger = SharedRecordIT.person();
    record("gp.riverside").body(plan(stranger, "active", "Annual review")).post("/fhir/CarePlan").then()
        .statusCode(403);

    // the council adds its own activity to the trust's plan, sending the trust's back as it was
    JsonPath current = get("sw.council", "/fhir/CarePlan/" + planId);
    Map<String, Object> trusts = current.getMap("activity[0]");
    String update = """
        {"resourceType":"CarePlan","id":"%s","status":"active","intent":"plan","subject":{"reference":"Patient/%s"},
         "title":"Shared care plan","activity":[%s,{"detail":{"status":"scheduled","description":"Home care"}}]}"""
        .formatted(planId, personId, new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(trusts));
    record("sw.council").header("If-Match", "W/\"1\"").body(update).put("/fhir/CarePlan/" + planId).then()
        .statusCode(200);
    JsonPath both = get("nurse.mht", "/fhir/CarePlan/" + planId);
    assertThat(contributions(both)).containsExactly("Medication review by MHT01 (recorder)", "Home care by LA001");

    // the council may not change the trust's activity
    String changed = update.replace("Medication review", "No medication");
    record("sw.council").header("If-Match", "W/\"2\"").body(changed).put("/fhir/CarePlan/" + planId).then()
        .statusCode(403).body("issue[0].diagnostics", containsString("recorded by MHT01"));

    // nor delete the plan: only the trust that recorded it may
    record("sw.council").delete("/fhir/CarePlan/" + planId).then().statusCode(403)
        .body("issue[0].diagnostics", containsString("may delete it"));

    // once the plan is completed, a new one may be started
    String completed = both.prettify().replace("\"status\": \"active\"", "\"status\": \"completed\"");
    record("nurse.mht").header("If-Match", "W/\"2\"").body(completed).put("/fhir/CarePlan/" + planId).then()
        .statusCode(200);
    write("nurse.mht", "CarePlan", plan(personId, "active", "New plan after discharge"));
  }

  @Test
  void twoOrganisationsStartingAPlanAtOnceGetOnePlan() {
    String personId = person();
    CompletableFuture<Integer> trust = CompletableFuture.supplyAsync(() -> record("nurse.mht")
        .body(plan(personId, "active", "From the trust")).post("/fhir/CarePlan").statusCode());
    CompletableFuture<Integer> council = CompletableFuture.supplyAsync(() -> record("sw.council")
        .body(plan(personId, "active", "From the council")).post("/fhir/CarePlan").statusCode());
    assertThat(List.of(trust.join(), council.join())).containsExactlyInAnyOrder(201, 409);
    assertThat(get("nurse.mht", "/fhir/CarePlan?subject=" + personId).getList("entry.resource.resourceType"))
        .containsOnlyOnce("CarePlan");
  }
}
