package org.tellonce.carerecord.monitor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/**
 * Inappropriate-access monitoring on the real audit topic: thresholds within a window raise one alert for the
 * privacy officer of the user's organisation (stored and published), replays add nothing, and the review queue is
 * the organisation's own.
 */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "care_record_test"))
class AccessMonitorTest {

  static final String AUDIT = "tellonce-test.audit.v1";
  static final String PRIVACY_OFFICER = "caldicott.mht";

  static String person() {
    return UUID.randomUUID().toString();
  }

  /** A care-record audit entry as the record writes it. */
  static void audited(String eventId, String user, String organization, String person, String outcome,
      List<String> grounds, List<String> withheldOn, Instant at) {
    String data = """
        {"auditEventId":"%s","recorded":"%s","personId":"%s","user":"%s","organization":"%s","interaction":"read",
         "purpose":"TREAT","outcome":"%s","entities":%s,"grounds":%s,"withheldOn":%s,"revision":1,
         "previousHash":"%s","hash":"%s"}""".formatted(eventId, at, person, user, organization, outcome,
        outcome.equals("permitted") ? "[\"Condition/c1\"]" : "[]", json(grounds), json(withheldOn),
        "0".repeat(64), "0".repeat(64));
    EventProbe.publish(AUDIT, person, eventId, Signals.RECORD_AUDIT, data);
  }

  static String json(List<String> values) {
    return values.stream().map(v -> "\"" + v + "\"").toList().toString();
  }

  static void refused(String user, String organization, String person, Instant at) {
    audited(UUID.randomUUID().toString(), user, organization, person, "denied", List.of(),
        List.of("policy/no-legitimate-relationship"), at);
  }

  static List<Map<String, Object>> alertsOf(String token, String user, String query) {
    return given().auth().oauth2(token).get("/alerts" + query).then().statusCode(200).extract().jsonPath()
        .<Map<String, Object>>getList("").stream().filter(a -> user.equals(a.get("user"))).toList();
  }

  @Test
  @SuppressWarnings("unchecked")
  void fivePeopleRefusedWithinAnHourRaiseOneAlertAndTheCountStartsAgain() {
    String user = "snoop-" + UUID.randomUUID();
    String officer = Tokens.user(PRIVACY_OFFICER);
    Instant start = Instant.parse("2026-11-02T10:00:00Z");
    List<String> people = IntStream.range(0, 5).mapToObj(i -> person()).toList();
    // the same person twice, and a refusal two hours earlier, are not five people within the hour
    refused(user, "MHT01", people.get(0), start.minus(Duration.ofHours(2)));
    for (int i = 0; i < 4; i++) {
      refused(user, "MHT01", people.get(i), start.plus(Duration.ofMinutes(i)));
    }
    refused(user, "MHT01", people.get(3), start.plus(Duration.ofMinutes(5)));
    // an objection upheld is the person's choice, not a sign of snooping
    audited(UUID.randomUUID().toString(), user, "MHT01", person(), "denied", List.of(), List.of("Consent/c1"),
        start.plus(Duration.ofMinutes(6)));
    String fifth = UUID.randomUUID().toString();
    audited(fifth, user, "MHT01", people.get(4), "denied", List.of(), List.of("policy/no-legitimate-relationship"),
        start.plus(Duration.ofMinutes(30)));

    await().atMost(Duration.ofSeconds(30)).until(() -> !alertsOf(officer, user, "").isEmpty());
    Map<String, Object> alert = alertsOf(officer, user, "").get(0);
    assertThat(alert).containsEntry("rule", "no-relationship").containsEntry("organization", "MHT01")
        .containsEntry("occurrences", 5).containsEntry("status", "open");
    assertThat((List<Object>) alert.get("persons")).containsExactlyInAnyOrderElementsOf(
        people.stream().map(p -> "Patient/" + p).toList());
    assertThat((String) alert.get("description")).isEqualTo(user + " (MHT01) was refused the records of 5 people for"
        + " want of a legitimate relationship between 2 Nov 2026 10:00 and 2 Nov 2026 10:30 (Europe/London).");
    String alertId = (String) alert.get("id");
    List<EventProbe.Event> told = EventProbe.await("tellonce-test.record.notification.v1",
        e -> "MHT01".equals(e.header("ce_subject")) && e.data().contains(alertId), 1, Duration.ofSeconds(30));
    assertThat(told).hasSize(1);
    assertThat(told.get(0).key()).isEqualTo("MHT01");
    assertThat(told.get(0).header("ce_type")).isEqualTo("org.tellonce.record.access-alert.v1");
    JsonPath event = new JsonPath(told.get(0).data());
    assertThat(event.getString("audience")).isEqualTo("privacy-officer");
    assertThat(event.getInt("occurrences")).isEqualTo(5);

    // the fifth delivered again, and four more people, count again from the alert: no second alert yet
    audited(fifth, user, "MHT01", people.get(4), "denied", List.of(), List.of("policy/no-legitimate-relationship"),
        start.plus(Duration.ofMinutes(30)));
    for (int i = 0; i < 4; i++) {
      refused(user, "MHT01", person(), start.plus(Duration.ofMinutes(31 + i)));
    }
    // wait until the four were counted (the redelivery kept nothing: 7 + 4 signals)
    await().atMost(Duration.ofSeconds(30)).until(() -> countedSignals(user) == 11);
    assertThat(alertsOf(officer, user, "")).hasSize(1);
    // the fifth after the alert raises the second
    refused(user, "MHT01", person(), start.plus(Duration.ofMinutes(40)));
    await().atMost(Duration.ofSeconds(30)).until(() -> alertsOf(officer, user, "").size() == 2);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aPersonReadBeforeAndAfterTheHourIsNotCountedWithinIt() {
    String user = "gap-" + UUID.randomUUID();
    String officer = Tokens.user(PRIVACY_OFFICER);
    Instant start = Instant.parse("2026-11-04T10:00:00Z");
    String early = person();
    // refused at 08:00 and at 12:00: that person's first and last refusals span the hour from 10:00, none falls in it
    refused(user, "MHT01", early, start.minus(Duration.ofHours(2)));
    refused(user, "MHT01", early, start.plus(Duration.ofHours(2)));
    List<String> people = IntStream.range(0, 5).mapToObj(i -> person()).toList();
    for (int i = 0; i < 4; i++) {
      refused(user, "MHT01", people.get(i), start.plus(Duration.ofMinutes(i)));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> countedSignals(user) == 6);
    assertThat(alertsOf(officer, user, "")).isEmpty();

    refused(user, "MHT01", people.get(4), start.plus(Duration.ofMinutes(20)));
    await().atMost(Duration.ofSeconds(30)).until(() -> !alertsOf(officer, user, "").isEmpty());
    Map<String, Object> alert = alertsOf(officer, user, "").get(0);
    assertThat(alert).containsEntry("rule", "no-relationship").containsEntry("occurrences", 5);
    assertThat((List<Object>) alert.get("persons")).containsExactlyInAnyOrderElementsOf(
        people.stream().map(p -> "Patient/" + p).toList());
  }

  @Test
  @SuppressWarnings("unchecked")
  void tenPeopleRefusedInOneBurstAndReplayedRaiseTwoAlertsOfFive() {
    String user = "burst-" + UUID.randomUUID();
    String officer = Tokens.user(PRIVACY_OFFICER);
    Instant start = Instant.parse("2026-11-05T10:00:00Z");
    List<String> people = IntStream.range(0, 10).mapToObj(i -> person()).toList();
    List<String> events = IntStream.range(0, 10).mapToObj(i -> UUID.randomUUID().toString()).toList();
    // published at once, they reach the monitor in one poll or a few; then all ten again (a replay)
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 10; i++) {
        audited(events.get(i), user, "MHT01", people.get(i), "denied", List.of(),
            List.of("policy/no-legitimate-relationship"), start.plus(Duration.ofMinutes(i)));
      }
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> alertsOf(officer, user, "").size() == 2);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
        .until(() -> alertsOf(officer, user, "").size() == 2 && countedSignals(user) == 10);
    List<Map<String, Object>> alerts = alertsOf(officer, user, "");
    List<Object> named = new java.util.ArrayList<>();
    for (Map<String, Object> alert : alerts) {
      assertThat(alert).containsEntry("rule", "no-relationship").containsEntry("occurrences", 5);
      named.addAll((List<Object>) alert.get("persons"));
    }
    // the count started again after the first five: each person is in one alert
    assertThat(named).containsExactlyInAnyOrderElementsOf(people.stream().map(p -> "Patient/" + p).toList());
  }

  static long countedSignals(String user) throws Exception {
    return Long.parseLong(org.tellonce.carerecord.record.RecordResourceTestAccess.query(
        "select count(*) from access_signal where user_name = '" + user + "'").get(0));
  }

  @Test
  void breakGlassUsedUnderThreeGrantsInADayRaisesAnAlert() {
    String user = "glass-" + UUID.randomUUID();
    Instant start = Instant.parse("2026-11-03T09:00:00Z");
    for (int i = 0; i < 3; i++) {
      // two reads under each grant: the grants are what is counted
      for (int read = 0; read < 2; read++) {
        audited(UUID.randomUUID().toString(), user, "MHT01", person(), "permitted",
            List.of("break-glass/grant-" + user + "-" + i), List.of(), start.plus(Duration.ofHours(i * 5L + read)));
      }
    }
    String officer = Tokens.user(PRIVACY_OFFICER);
    await().atMost(Duration.ofSeconds(30)).until(() -> !alertsOf(officer, user, "").isEmpty());
    List<Map<String, Object>> alerts = alertsOf(officer, user, "");
    assertThat(alerts).hasSize(1);
    assertThat(alerts.get(0)).containsEntry("rule", "repeated-break-glass").containsEntry("occurrences", 3);
  }

  @Test
  void twentyRecordsOpenedOnASundayNightRaiseAnAlertThatItsOrganisationReviews() {
    String user = "night-" + UUID.randomUUID();
    Instant sunday = Instant.parse("2026-11-01T01:00:00Z");
    for (int i = 0; i < 20; i++) {
      audited(UUID.randomUUID().toString(), user, "GPP01", person(), "permitted", List.of("policy/direct-care"),
          List.of(), sunday.plus(Duration.ofMinutes(2L * i)));
    }
    String admin = Tokens.user("admin");
    await().atMost(Duration.ofSeconds(60)).until(() -> !alertsOf(admin, user, "?organization=GPP01").isEmpty());
    Map<String, Object> alert = alertsOf(admin, user, "?organization=GPP01").get(0);
    assertThat(alert).containsEntry("rule", "out-of-hours").containsEntry("occurrences", 20);
    String id = (String) alert.get("id");

    // another organisation's privacy officer cannot see it, list it or review it
    String officer = Tokens.user(PRIVACY_OFFICER);
    given().auth().oauth2(officer).get("/alerts/" + id).then().statusCode(404);
    given().auth().oauth2(officer).get("/alerts?organization=GPP01").then().statusCode(403);
    assertThat(alertsOf(officer, user, "")).isEmpty();
    given().auth().oauth2(officer).contentType(ContentType.JSON)
        .body(Map.of("outcome", "appropriate", "note", "on call")).post("/alerts/" + id + "/review")
        .then().statusCode(404);
    given().auth().oauth2(Tokens.user("nurse.mht")).get("/alerts").then().statusCode(403);

    // a review needs an outcome and a note, and is made once
    given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("outcome", "maybe", "note", "x"))
        .post("/alerts/" + id + "/review").then().statusCode(400);
    given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("outcome", "appropriate"))
        .post("/alerts/" + id + "/review").then().statusCode(400);
    assertThat(given().auth().oauth2(admin).contentType(ContentType.JSON)
        .body(Map.of("outcome", "appropriate", "note", "GP on call for the out-of-hours service that weekend"))
        .post("/alerts/" + id + "/review").then().statusCode(200).extract().jsonPath().getString("status"))
        .isEqualTo("appropriate");
    given().auth().oauth2(admin).contentType(ContentType.JSON)
        .body(Map.of("outcome", "inappropriate", "note", "second thoughts")).post("/alerts/" + id + "/review")
        .then().statusCode(409);
    assertThat(alertsOf(admin, user, "?organization=GPP01")).isEmpty();
    assertThat(alertsOf(admin, user, "?organization=GPP01&status=appropriate")).singleElement()
        .satisfies(a -> assertThat(a).containsEntry("reviewedBy", "admin"));
    given().auth().oauth2(admin).get("/alerts?status=closed").then().statusCode(400);
  }

  @Test
  void anUnreadableAuditEventGoesToTheDeadLetterTopic() {
    String key = person();
    EventProbe.publish(AUDIT, key, UUID.randomUUID().toString(), Signals.RECORD_AUDIT, "{not json");
    List<EventProbe.Event> dead = EventProbe.await(AUDIT + ".care-record.dlq", e -> key.equals(e.key()), 1,
        Duration.ofSeconds(30));
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).header("dead-letter-reason")).startsWith("Unreadable audit event");
    assertThat(dead.get(0).data()).isEqualTo("{not json");
  }
}
