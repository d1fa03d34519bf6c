package org.tellonce.referral.sla;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.EventContracts;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/**
 * Response times and escalation, with the clock moved on in the database (as time passing would): a breach escalates
 * step by step along the route with an event each, accepting stops the clock, a redirect restarts it for the new
 * receiver, and a discharge referral's follow-up runs from the discharge.
 */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "referral_test"))
class SlaTest {

  @Inject DataSource database;

  static ExtractableResponse<Response> refer(String person, String category, String extra) {
    return given().auth().oauth2(Tokens.user("gp.riverside")).contentType("application/fhir+json").body("""
            {"resourceType":"ServiceRequest","status":"active","intent":"order","priority":"urgent",%s
             "category":[{"coding":[{"system":"https://fhir.tellonce.org/CodeSystem/service-category","code":"%s"}]}],
             "code":{"text":"Assessment"},"subject":{"reference":"Patient/%s"}}""".formatted(extra, category, person))
        .post("/fhir/ServiceRequest").then().extract();
  }

  static ExtractableResponse<Response> summary(String referral) {
    return given().auth().oauth2(Tokens.user("gp.riverside")).get("/referrals/" + referral).then().extract();
  }

  /** Moves a referral's clock on: its next escalation step is due now. */
  void timePasses(String referral, String kind) throws Exception {
    try (var connection = database.getConnection(); var statement = connection.prepareStatement("""
        update referral_deadline set due_at = due_at - (next_at - now()) - interval '1 second',
          next_at = now() - interval '1 second' where referral_id = ? and kind = ? and next_at is not null""")) {
      statement.setString(1, referral);
      statement.setString(2, kind);
      statement.executeUpdate();
    }
  }

  List<EventProbe.Event> escalations(String person, int atLeast) {
    return escalations(person, atLeast, Duration.ofSeconds(20));
  }

  /** The escalations of a person's referrals, waiting until there are {@code atLeast} or the time is up. */
  List<EventProbe.Event> escalations(String person, int atLeast, Duration wait) {
    return EventProbe.await("tellonce-test.referral.v1", e -> person.equals(e.key())
        && "org.tellonce.referral.escalated.v1".equals(e.header("ce_type")), atLeast, wait);
  }

  @Test
  void aMissedResponseEscalatesStepByStepUntilTheRouteEnds() throws Exception {
    String person = UUID.randomUUID().toString();
    Instant before = Instant.now();
    ExtractableResponse<Response> created = refer(person, "mental-health", "");
    String referral = created.jsonPath().getString("id");
    ExtractableResponse<Response> fresh = summary(referral);
    assertThat(fresh.jsonPath().getString("deadlines[0].kind")).isEqualTo("response");
    Instant due = Instant.parse(fresh.jsonPath().getString("deadlines[0].dueAt"));
    assertThat(due).as("urgent: accept within 4 hours (the defaults)")
        .isBetween(before.plus(4, ChronoUnit.HOURS).minusSeconds(1), Instant.now().plus(4, ChronoUnit.HOURS));

    timePasses(referral, "response");
    List<EventProbe.Event> first = escalations(person, 1);
    assertThat(first).hasSize(1);
    assertThat(first.get(0).data()).contains("\"step\":1").contains("\"escalatedTo\":\"team-manager\"")
        .contains("\"clock\":\"response\"").contains("\"recipientOrganization\":\"MHT01\"");
    assertThat(EventContracts.problems(first.get(0))).isEmpty();
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> summary(referral).jsonPath().getString("deadlines[0].breachedAt") != null);
    assertThat(summary(referral).jsonPath().getInt("deadlines[0].escalations")).isEqualTo(1);

    timePasses(referral, "response");
    timePasses(referral, "response");
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> summary(referral).jsonPath().getInt("deadlines[0].escalations") == 2);
    timePasses(referral, "response");
    List<EventProbe.Event> all = escalations(person, 3);
    assertThat(all).extracting(e -> e.data().replaceAll(".*\"escalatedTo\":\"([a-z-]+)\".*", "$1"))
        .containsExactly("team-manager", "service-lead", "ics-on-call");
    var told = EventProbe.await("tellonce-test.referral.notification.v1", e -> person.equals(e.key())
        && e.data().contains("\"reason\":\"escalated\""), 3, Duration.ofSeconds(20));
    assertThat(told).extracting(EventProbe.Event::data)
        .anyMatch(d -> d.contains("\"audience\":\"ics-on-call\"") && d.contains("\"organization\":\"MHT01\""));
    // the route has ended: nothing more is scheduled
    timePasses(referral, "response");
    assertThat(escalations(person, 4, Duration.ofSeconds(4))).as("the sweeper runs every second").hasSize(3);
    given().get("/q/metrics").then().body(containsString("tellonce_referral_sla_breaches_total{clock=\"response\"}"));
    // accepted at last: the response is timed as late
    given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/json").body("{\"status\":\"accepted\"}")
        .post("/referrals/" + referral + "/transitions").then().statusCode(200);
    assertThat(responses("late")).isPositive();
  }

  /** How many responses the service has timed with this outcome (0 when none). */
  static double responses(String outcome) {
    return org.tellonce.testing.Metrics.value("tellonce_referral_response_seconds_count{clock=\"response\",outcome=\""
        + outcome + "\"}").orElse(0);
  }

  @Test
  void acceptingStopsTheClockAndARedirectRestartsItForTheNewReceiver() throws Exception {
    String person = UUID.randomUUID().toString();
    ExtractableResponse<Response> created = refer(person, "mental-health", "");
    String referral = created.jsonPath().getString("id");
    String task = created.header("X-Referral-Task").substring(5);
    Instant firstDue = Instant.parse(summary(referral).jsonPath().getString("deadlines[0].dueAt"));

    Thread.sleep(20);
    given().urlEncodingEnabled(false).auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json")
        .body("{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"target\",\"valueString\":\"VCS01\"},"
            + "{\"name\":\"note\",\"valueString\":\"Peer support first\"}]}")
        .post("/fhir/Task/" + task + "/$redirect").then().statusCode(200);
    Instant secondDue = Instant.parse(summary(referral).jsonPath().getString("deadlines[0].dueAt"));
    assertThat(secondDue).isAfter(firstDue);

    double onTime = responses("on-time");
    given().auth().oauth2(Tokens.user("worker.vcse")).contentType("application/json").body("{\"status\":\"accepted\"}")
        .post("/referrals/" + referral + "/transitions").then().statusCode(200);
    assertThat(responses("on-time")).as("accepted within the SLA, timed once").isEqualTo(onTime + 1);
    ExtractableResponse<Response> accepted = summary(referral);
    assertThat(accepted.jsonPath().getString("deadlines[0].metAt")).isNotNull();
    assertThat(accepted.jsonPath().getString("deadlines[0].breachedAt")).isNull();
    timePasses(referral, "response");
    assertThat(escalations(person, 1, Duration.ofSeconds(4))).as("the sweeper runs every second").isEmpty();
  }

  @Test
  void aDischargeReferralIsFollowedUpWithin72HoursOfTheDischarge() throws Exception {
    String person = UUID.randomUUID().toString();
    ExtractableResponse<Response> missing = refer(person, "discharge-follow-up", "");
    assertThat(missing.statusCode()).isEqualTo(422);
    assertThat(missing.jsonPath().getString("issue[0].diagnostics")).contains("discharge date");

    Instant estimated = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    ExtractableResponse<Response> created = refer(person, "discharge-follow-up",
        "\"occurrenceDateTime\":\"" + estimated + "\",");
    assertThat(created.statusCode()).isEqualTo(201);
    String referral = created.jsonPath().getString("id");
    String task = created.header("X-Referral-Task").substring(5);
    ExtractableResponse<Response> clocks = summary(referral);
    assertThat(clocks.jsonPath().getList("deadlines.kind")).containsExactly("follow-up", "response");
    assertThat(Instant.parse(clocks.jsonPath().getString("deadlines[0].dueAt")))
        .isEqualTo(estimated.plus(72, ChronoUnit.HOURS));

    // the ward records the actual discharge: the follow-up runs from it
    Instant discharged = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    String parameters = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"date\",\"valueDateTime\":\""
        + discharged + "\"}]}";
    given().urlEncodingEnabled(false).auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json")
        .body(parameters).post("/fhir/Task/" + task + "/$discharge").then().statusCode(403);
    given().urlEncodingEnabled(false).auth().oauth2(Tokens.user("gp.riverside")).contentType("application/fhir+json")
        .body(parameters).post("/fhir/Task/" + task + "/$discharge").then().statusCode(200);
    assertThat(Instant.parse(summary(referral).jsonPath().getString("deadlines[0].dueAt")))
        .isEqualTo(discharged.plus(72, ChronoUnit.HOURS));
    given().urlEncodingEnabled(false).auth().oauth2(Tokens.user("gp.riverside")).contentType("application/fhir+json")
        .body("{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"date\",\"valueDateTime\":\"2099-01-01T00:00:00Z\"}]}")
        .post("/fhir/Task/" + task + "/$discharge").then().statusCode(422);

    // first contact meets the follow-up
    for (String status : List.of("accepted", "in-progress")) {
      given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/json")
          .body("{\"status\":\"" + status + "\"}").post("/referrals/" + referral + "/transitions")
          .then().statusCode(200);
    }
    given().auth().oauth2(Tokens.user("gp.riverside")).get("/referrals/" + referral).then().statusCode(200)
        .body("deadlines.find { it.kind == 'follow-up' }.metAt", org.hamcrest.Matchers.notNullValue())
        .body("history.kind", org.hamcrest.Matchers.hasItem("discharge"))
        .body("status", equalTo("in-progress"));
  }
}
