package org.tellonce.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.EventContracts;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.Tokens;

/**
 * The NOTIFY obligation end to end: a read under break-glass is shown, audited with the grounds it rests on, and the
 * privacy officer of the reader's organisation is told on record.notification.v1; a read by the care team on implied
 * consent tells no one.
 */
class DisclosureNoticeIT {

  static final String NOTIFICATIONS = Services.TOPIC_PREFIX + "record.notification.v1";

  @BeforeAll
  static void underTheIcsAgreement() {
    org.tellonce.testing.SharingAgreements.ensure(Services.CONSENT);
  }

  private static RequestSpecification as(String user) {
    return given().auth().oauth2(Tokens.user(user)).contentType("application/fhir+json");
  }

  private static List<String> allergies(String user, String purpose, String personId) {
    return as(user).baseUri(Services.CARE_RECORD).header("X-Purpose-Of-Use", purpose)
        .get("/fhir/AllergyIntolerance?patient=" + personId).then().statusCode(200)
        .extract().jsonPath().getList("entry.resource.findAll { it.resourceType == 'AllergyIntolerance' }.id");
  }

  @Test
  void aBreakGlassReadIsShownAuditedWithItsGroundsAndToldToThePrivacyOfficer() throws Exception {
    // audit.v1 holds every read ever made on this stack: the probe reads only what was sent after this began
    Instant began = Instant.now().minusSeconds(5);
    String personId = People.register("nurse.mht", "Notice", "Sam", "1961-07-19");
    People.careTeam("nurse.mht", personId, "MHT01");
    String allergyId = as("nurse.mht").baseUri(Services.CARE_RECORD).body("""
        {"resourceType":"AllergyIntolerance",
         "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":"active"}]},
         "code":{"text":"Latex"},"patient":{"reference":"Patient/%s"}}""".formatted(personId))
        .post("/fhir/AllergyIntolerance").then().statusCode(201).extract().path("id");

    // the care team reads on implied consent (once consent has the care team from identity's events): shown, and no
    // one is told
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> allergies("nurse.mht", "TREAT", personId).equals(List.of(allergyId)));
    // the GP practice has no relationship: nothing, until a clinician there breaks the glass
    assertThat(allergies("gp.riverside", "ETREAT", personId)).isEmpty();
    String grantId = given().auth().oauth2(Tokens.user("gp.riverside")).contentType("application/json")
        .baseUri(Services.CONSENT)
        .body("""
            {"person":"Patient/%s","purpose":"ETREAT","justification":"Collapsed at the surgery, allergies unknown"}
            """.formatted(personId))
        .post("/break-glass").then().statusCode(201).extract().path("id");
    assertThat(allergies("gp.riverside", "ETREAT", personId)).containsExactly(allergyId);

    List<EventProbe.Event> notices = EventProbe.await(NOTIFICATIONS, e -> personId.equals(e.key()), 1,
        Duration.ofSeconds(30));
    assertThat(notices).hasSize(1);
    EventProbe.Event notice = notices.get(0);
    assertThat(EventContracts.problems(notice)).isEmpty();
    assertThat(notice.data())
        .contains("\"audience\":\"privacy-officer\"", "\"organization\":\"GPP01\"", "\"user\":\"gp.riverside\"",
            "\"purpose\":\"ETREAT\"", "\"grounds\":[\"break-glass/" + grantId + "\"",
            "AllergyIntolerance/" + allergyId)
        .doesNotContain("Latex", "Notice", "Sam");

    // its audit entry names the same grounds; the care team's own read names its own and told no one
    String auditEventId = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(notice.data())
        .path("auditEventId").asText();
    List<EventProbe.Event> audits = new java.util.ArrayList<>();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
      audits.clear();
      audits.addAll(EventProbe.await(Services.TOPIC_PREFIX + "audit.v1", began,
          e -> personId.equals(e.key()) && "org.tellonce.audit.recorded.v1".equals(e.header("ce_type"))
              && e.data().contains("\"interaction\":\"search-type\""), Integer.MAX_VALUE, Duration.ofSeconds(2)));
      return audits.stream().anyMatch(e -> e.data().contains(auditEventId));
    });
    assertThat(audits).extracting(EventProbe.Event::data)
        .anyMatch(d -> d.contains(auditEventId) && d.contains("\"grounds\":[\"break-glass/" + grantId + "\"]"))
        .anyMatch(d -> d.contains("\"organization\":\"MHT01\"") && d.contains("\"grounds\":[\"policy/direct-care\"]"));
    for (EventProbe.Event audit : audits) {
      assertThat(EventContracts.problems(audit)).isEmpty();
    }
    assertThat(EventProbe.await(NOTIFICATIONS, e -> personId.equals(e.key()), 2, Duration.ofSeconds(3)))
        .as("only the break-glass read was told").hasSize(1);
  }
}
