package org.tellonce.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import io.restassured.path.json.JsonPath;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.KeycloakUsers;
import org.tellonce.testing.EventContracts;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.SharingAgreements;
import org.tellonce.testing.Tokens;

/**
 * Inappropriate-access monitoring end to end: a council social worker opening the records of people the council has
 * no relationship with is refused each time (the audit names why), and the access monitor raises an alert for the
 * council's privacy officer, stored and published in its contract.
 */
class AccessMonitorIT {

  @BeforeAll
  static void underTheIcsAgreement() {
    SharingAgreements.ensure(Services.CONSENT);
  }

  @Test
  @SuppressWarnings("unchecked")
  void snoopingAcrossManyRecordsRaisesAnAlertForThePrivacyOfficer() throws Exception {
    List<String> people = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String personId = People.register("nurse.mht", "Monitored", "Pat", "1961-04-0" + (i % 9 + 1));
      People.careTeam("nurse.mht", personId, "MHT01");
      given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json").baseUri(Services.CARE_RECORD)
          .body("""
              {"resourceType":"AllergyIntolerance","code":{"text":"Latex"},"patient":{"reference":"Patient/%s"},
               "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
               "code":"active"}]}}
              """.formatted(personId))
          .post("/fhir/AllergyIntolerance").then().statusCode(201);
      people.add(personId);
    }
    // ten people in a row, none of them the council's: each search is answered, with nothing in it
    for (String personId : people) {
      assertThat(given().auth().oauth2(Tokens.user("sw.council")).baseUri(Services.CARE_RECORD)
          .get("/fhir/AllergyIntolerance?patient=" + personId).then().statusCode(200).extract().jsonPath()
          .getList("entry.resource.resourceType")).doesNotContain("AllergyIntolerance");
    }
    List<EventProbe.Event> audited = EventProbe.await(Services.TOPIC_PREFIX + "audit.v1",
        e -> e.key() != null && e.key().equals(people.get(9)) && e.data().contains("sw.council"), 1,
        Duration.ofSeconds(30));
    assertThat(audited).isNotEmpty();
    assertThat(audited.get(0).data()).contains("\"withheldOn\":[\"policy/no-legitimate-relationship\"]");
    assertThat(EventContracts.problems(audited.get(0))).isEmpty();

    String admin = Tokens.user("admin");
    List<String> mine = people.stream().map(p -> "Patient/" + p).toList();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> !alertsAbout(admin, mine)
        .isEmpty());
    Map<String, Object> alert = alertsAbout(admin, mine).get(0);
    assertThat(alert).containsEntry("rule", "no-relationship").containsEntry("user", "sw.council")
        .containsEntry("organization", "LA001");
    assertThat((String) alert.get("description")).startsWith("sw.council (LA001) was refused the records of");

    List<EventProbe.Event> told = EventProbe.await(Services.TOPIC_PREFIX + "record.notification.v1",
        e -> "LA001".equals(e.key()) && e.data().contains((String) alert.get("id")), 1, Duration.ofSeconds(30));
    assertThat(told).hasSize(1);
    assertThat(told.get(0).header("ce_type")).isEqualTo("org.tellonce.record.access-alert.v1");
    assertThat(EventContracts.problems(told.get(0))).isEmpty();
  }

  @Test
  void openingANamesakesOrAColleaguesRecordIsAlertedOncePerPerson() throws Exception {
    String suffix = UUID.randomUUID().toString().replaceAll("[^a-f]", "").concat("abcdefgh").substring(0, 8);
    String family = "Harrowgate" + suffix;
    String colleagueFamily = "Penhallow" + suffix;
    String username = KeycloakUsers.create("staff.watch" + suffix, "clinician");
    String admin = Tokens.user("admin");
    // the trust in the directory (once), the user's own role there, and a colleague with a role there
    given().auth().oauth2(admin).contentType("application/fhir+json").baseUri(Services.IDENTITY).body("""
        {"resourceType":"Organization","name":"Riverside Mental Health Trust","identifier":[{"system":"%s","value":"MHT01"}],
         "type":[{"coding":[{"system":"https://fhir.tellonce.org/CodeSystem/organization-type","code":"nhs-trust"}]}]}
        """.formatted(People.ODS)).post("/fhir/Organization").then().statusCode(org.hamcrest.Matchers.oneOf(201, 409));
    String me = directory(admin, """
        {"resourceType":"Practitioner","name":[{"family":"%s","given":["Lee"]}]}""".formatted(family));
    directory(admin, role(me, username));
    String colleague = directory(admin, """
        {"resourceType":"Practitioner","name":[{"family":"%s","given":["Rin"]}],"birthDate":"1984-07-12"}"""
        .formatted(colleagueFamily));
    directory(admin, role(colleague, null));

    String namesake = People.register("nurse.mht", family, "Dee", "1950-01-01");
    String workmate = People.register("nurse.mht", colleagueFamily, "Rin", "1984-07-12");
    String stranger = People.register("nurse.mht", "Unconnected" + suffix, "Kit", "1984-07-12");
    for (String personId : List.of(namesake, workmate, stranger)) {
      People.careTeam("nurse.mht", personId, "MHT01");
      given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json").baseUri(Services.CARE_RECORD)
          .body(ALLERGY.formatted(personId)).post("/fhir/AllergyIntolerance").then().statusCode(201);
    }
    // the user, in the care team's organisation, reads each record once the care team has reached consent
    for (String personId : List.of(namesake, workmate, stranger, namesake)) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> given().auth()
          .oauth2(Tokens.user(username)).baseUri(Services.CARE_RECORD).get("/fhir/AllergyIntolerance?patient=" + personId)
          .then().statusCode(200).extract().jsonPath().getList("entry.resource.resourceType")
          .contains("AllergyIntolerance"));
    }
    String officer = Tokens.user("caldicott.mht");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> alertsOf(officer, username).size() >= 2);
    List<Map<String, Object>> alerts = alertsOf(officer, username);
    assertThat(alerts).extracting(a -> a.get("rule") + " " + a.get("persons"))
        .containsExactlyInAnyOrder("namesake [Patient/" + namesake + "]", "colleague [Patient/" + workmate + "]");
    assertThat(alerts).extracting(a -> (String) a.get("description")).anySatisfy(d -> assertThat(d)
        .startsWith(username + " (MHT01) opened the record of someone who shares their family name at "));
  }

  static final String ALLERGY = """
      {"resourceType":"AllergyIntolerance","code":{"text":"Latex"},"patient":{"reference":"Patient/%s"},
       "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
       "code":"active"}]}}""";

  private static String role(String practitioner, String username) {
    return """
        {"resourceType":"PractitionerRole","active":true,"practitioner":{"reference":"Practitioner/%s"},
         "organization":{"identifier":{"system":"%s","value":"MHT01"}},
         "code":[{"coding":[{"system":"https://fhir.tellonce.org/CodeSystem/care-role","code":"clinical-lead"}]}]%s}
        """.formatted(practitioner, People.ODS, username == null ? ""
            : ",\"identifier\":[{\"system\":\"https://fhir.tellonce.org/Id/keycloak-username\",\"value\":\""
                + username + "\"}]");
  }

  private static String directory(String token, String resource) {
    String type = new JsonPath(resource).getString("resourceType");
    return given().auth().oauth2(token).contentType("application/fhir+json").baseUri(Services.IDENTITY).body(resource)
        .post("/fhir/" + type).then().log().ifValidationFails().statusCode(201).extract().path("id");
  }

  private static List<Map<String, Object>> alertsOf(String token, String user) {
    return given().auth().oauth2(token).baseUri(Services.CARE_RECORD).get("/alerts?_count=200")
        .then().statusCode(200).extract().jsonPath().<Map<String, Object>>getList("").stream()
        .filter(a -> user.equals(a.get("user"))).toList();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> alertsAbout(String token, List<String> people) {
    return given().auth().oauth2(token).baseUri(Services.CARE_RECORD).get("/alerts?organization=LA001&_count=200")
        .then().statusCode(200).extract().jsonPath().<Map<String, Object>>getList("").stream()
        .filter(a -> "sw.council".equals(a.get("user"))
            && ((List<String>) a.get("persons")).stream().anyMatch(people::contains))
        .toList();
  }
}
