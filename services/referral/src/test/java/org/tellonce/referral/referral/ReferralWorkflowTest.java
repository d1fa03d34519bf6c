package org.tellonce.referral.referral;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.EventContracts;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/** The lifecycle on the Task, redirects with loop detection, and who may make which move, over real HTTP and Kafka. */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "referral_test"))
class ReferralWorkflowTest {

  /** A referral from the GP practice (GPP01) routed to the mental-health trust (MHT01); answers its Task id. */
  static String[] refer(String person) {
    ExtractableResponse<Response> created = ReferralResourceTest.send("gp.riverside",
        ReferralResourceTest.referral(person, "mental-health"));
    assertThat(created.statusCode()).isEqualTo(201);
    return new String[] {created.jsonPath().getString("id"), created.header("X-Referral-Task").substring(5)};
  }

  static String move(String status, String reason) {
    return """
        {"resourceType":"Parameters","parameter":[{"name":"status","valueCode":"%s"}%s]}"""
        .formatted(status, reason == null ? "" : ",{\"name\":\"reason\",\"valueString\":\"" + reason + "\"}");
  }

  static ExtractableResponse<Response> transition(String user, String task, String status, String reason) {
    return given().urlEncodingEnabled(false).auth().oauth2(Tokens.user(user)).contentType("application/fhir+json")
        .body(move(status, reason))
        .post("/fhir/Task/" + task + "/$transition").then().extract();
  }

  static ExtractableResponse<Response> redirect(String user, String task, String target, String note) {
    String noteParameter = note == null ? "" : ",{\"name\":\"note\",\"valueString\":\"" + note + "\"}";
    return given().urlEncodingEnabled(false).auth().oauth2(Tokens.user(user)).contentType("application/fhir+json")
        .body("{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"target\",\"valueString\":\"" + target
            + "\"}" + noteParameter + "]}")
        .post("/fhir/Task/" + task + "/$redirect").then().extract();
  }

  @Inject DataSource database;

  int careTeams(String person) throws Exception {
    try (var connection = database.getConnection();
        var statement = connection.prepareStatement("select count(*) from care_team where person_id = ?")) {
      statement.setString(1, person);
      try (var rows = statement.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  @Test
  void aReferralGoesFromRequestedToCompletedWithEachMoveRecordedAndPublished() throws Exception {
    String person = UUID.randomUUID().toString();
    String[] referral = refer(person);
    String task = referral[1];
    for (String status : List.of("received", "accepted", "in-progress", "completed")) {
      ExtractableResponse<Response> moved = transition("nurse.mht", task, status, null);
      assertThat(moved.statusCode()).as(moved.body().asString()).isEqualTo(200);
      assertThat(moved.jsonPath().getString("status")).isEqualTo(status);
    }
    given().auth().oauth2(Tokens.user("gp.riverside")).get("/fhir/Task/" + task)
        .then().statusCode(200).header("ETag", "W/\"5\"").body("status", equalTo("completed"));
    given().auth().oauth2(Tokens.user("gp.riverside")).get("/fhir/ServiceRequest/" + referral[0])
        .then().statusCode(200).body("status", equalTo("completed"));
    given().auth().oauth2(Tokens.user("gp.riverside")).get("/referrals/" + referral[0])
        .then().statusCode(200)
        .body("status", equalTo("completed"))
        .body("history.kind", equalTo(List.of("created", "transition", "transition", "transition", "transition")))
        .body("history.toStatus", equalTo(List.of("requested", "received", "accepted", "in-progress", "completed")))
        .body("history[4].by", equalTo("nurse.mht"))
        .body("allowedMoves.size()", equalTo(0));

    var events = EventProbe.await("tellonce-test.referral.v1", e -> person.equals(e.key()), 5, Duration.ofSeconds(20));
    assertThat(events).extracting(e -> e.header("ce_type")).containsExactly("org.tellonce.referral.created.v1",
        "org.tellonce.referral.status-changed.v1", "org.tellonce.referral.status-changed.v1",
        "org.tellonce.referral.status-changed.v1", "org.tellonce.referral.status-changed.v1");
    for (EventProbe.Event event : events) {
      assertThat(EventContracts.problems(event)).isEmpty();
    }
    var told = EventProbe.await("tellonce-test.referral.notification.v1",
        e -> person.equals(e.key()) && e.data().contains("\"reason\":\"completed\""), 1, Duration.ofSeconds(20));
    assertThat(told).hasSize(1);
    assertThat(told.get(0).data()).contains("\"audience\":\"referrer\"").contains("\"organization\":\"GPP01\"");
    assertThat(EventContracts.problems(told.get(0))).isEmpty();
  }

  @Test
  void aMoveTheWorkflowDoesNotAllowIs409NamingTheAllowedOnes() {
    String task = refer(UUID.randomUUID().toString())[1];
    ExtractableResponse<Response> refused = transition("nurse.mht", task, "completed", null);
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.jsonPath().getString("issue[0].diagnostics"))
        .contains("requested cannot become completed").contains("allowed: received, accepted");
    given().auth().oauth2(Tokens.user("nurse.mht")).get("/fhir/Task/" + task)
        .then().statusCode(200).body("status", equalTo("requested")).header("ETag", "W/\"1\"");
  }

  @Test
  void aReceivingTeamCannotRejectButTheSinglePointOfAccessMay() {
    String task = refer(UUID.randomUUID().toString())[1];
    ExtractableResponse<Response> refused = transition("nurse.mht", task, "rejected", "not for us");
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.jsonPath().getString("issue[0].diagnostics")).contains("redirect");

    String spa = ReferralResourceTest.send("worker.vcse", ReferralResourceTest.referral(UUID.randomUUID().toString(),
        null)).header("X-Referral-Task").substring(5);
    assertThat(transition("sw.council", spa, "rejected", null).statusCode()).isEqualTo(422);
    ExtractableResponse<Response> rejected = transition("sw.council", spa, "rejected", "Advice given; no service");
    assertThat(rejected.statusCode()).isEqualTo(200);
    assertThat(rejected.jsonPath().getString("statusReason.text")).isEqualTo("Advice given; no service");
  }

  @Test
  void eachMoveBelongsToOneOrganisation() {
    String task = refer(UUID.randomUUID().toString())[1];
    ExtractableResponse<Response> referrerAccepting = transition("gp.riverside", task, "accepted", null);
    assertThat(referrerAccepting.statusCode()).isEqualTo(403);
    assertThat(referrerAccepting.jsonPath().getString("issue[0].diagnostics")).contains("receiving organisation (MHT01)");
    assertThat(transition("nurse.mht", task, "cancelled", "wrong person").statusCode()).isEqualTo(403);
    // an organisation not on the referral cannot tell it exists
    ExtractableResponse<Response> stranger = transition("worker.vcse", task, "accepted", null);
    assertThat(stranger.statusCode()).isEqualTo(404);
    assertThat(transition("gp.riverside", task, "cancelled", null).statusCode()).isEqualTo(422);
    assertThat(transition("gp.riverside", task, "cancelled", "Seen in surgery instead").statusCode()).isEqualTo(200);
  }

  @Test
  void aStaleIfMatchIs412AndChangesNothing() {
    String task = refer(UUID.randomUUID().toString())[1];
    assertThat(transition("nurse.mht", task, "received", null).statusCode()).isEqualTo(200);
    given().urlEncodingEnabled(false).auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json").header("If-Match", "W/\"1\"")
        .body(move("accepted", null))
        .post("/fhir/Task/" + task + "/$transition")
        .then().statusCode(412);
    given().urlEncodingEnabled(false).auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json").header("If-Match", "W/\"2\"")
        .body(move("accepted", null))
        .post("/fhir/Task/" + task + "/$transition")
        .then().statusCode(200).header("ETag", "W/\"3\"");
  }

  @Test
  void aRedirectHandsOverWithANoteAndALoopGoesToTheSinglePointOfAccess() throws Exception {
    String person = UUID.randomUUID().toString();
    String coordinator = "PractitionerRole/" + UUID.randomUUID();
    EventProbe.publish("tellonce-test.identity.careteam.v1", person, UUID.randomUUID().toString(),
        "org.tellonce.identity.careteam.changed.v1", """
            {"careTeamId":"%s","version":1,"personId":"%s","status":"active","organizations":["GPP01"],
             "practitionerRoles":["%s"],"coordinator":"%s"}""".formatted(UUID.randomUUID(), person, coordinator,
            coordinator));
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> careTeams(person) == 1);
    String[] referral = refer(person);
    String task = referral[1];
    assertThat(transition("nurse.mht", task, "received", null).statusCode()).isEqualTo(200);

    assertThat(redirect("nurse.mht", task, "VCS01", null).statusCode()).isEqualTo(422);
    ExtractableResponse<Response> unknown = redirect("nurse.mht", task, "ZZZ99", "over to you");
    assertThat(unknown.statusCode()).isEqualTo(422);
    assertThat(unknown.jsonPath().getString("issue[0].diagnostics")).contains("Unknown service 'ZZZ99'");
    assertThat(redirect("gp.riverside", task, "VCS01", "over to you").statusCode()).isEqualTo(403);

    ExtractableResponse<Response> handed = redirect("nurse.mht", task, "VCS01",
        "Needs peer support rather than secondary care; spoke to the team lead");
    assertThat(handed.statusCode()).as(handed.body().asString()).isEqualTo(200);
    assertThat(handed.jsonPath().getString("status")).isEqualTo("requested");
    assertThat(handed.jsonPath().getString("owner.identifier.value")).isEqualTo("VCS01");
    given().auth().oauth2(Tokens.user("gp.riverside")).get("/fhir/Task/" + task).then().statusCode(200)
        .body("note[0].text", startsWith("Needs peer support"));
    // the new receiver sees it; the team that handed it on no longer does
    given().auth().oauth2(Tokens.user("worker.vcse")).get("/fhir/ServiceRequest/" + referral[0])
        .then().statusCode(200).body("performer[0].identifier.value", equalTo("VCS01"));
    given().auth().oauth2(Tokens.user("nurse.mht")).get("/fhir/ServiceRequest/" + referral[0]).then().statusCode(404);

    // VCS01 sends it back to MHT01, which already had it: a loop, so it goes to the single point of access
    ExtractableResponse<Response> looped = redirect("worker.vcse", task, "MHT01", "Back to secondary care");
    assertThat(looped.statusCode()).isEqualTo(200);
    assertThat(looped.jsonPath().getString("owner.identifier.value")).isEqualTo("LA001");
    assertThat(looped.jsonPath().getString("statusReason.text")).contains("single point of access");
    given().auth().oauth2(Tokens.user("sw.council")).get("/referrals/" + referral[0])
        .then().statusCode(200)
        .body("recipientOrganization", equalTo("LA001"))
        .body("history.kind", equalTo(List.of("created", "transition", "redirect", "redirect")))
        .body("history[3].loopDetected", equalTo(true))
        .body("allowedMoves", hasItem("rejected"))
        .body("allowedMoves", hasItem("redirect"));
    given().auth().oauth2(Tokens.user("gp.riverside")).get("/referrals/" + referral[0])
        .then().statusCode(200).body("history[2].reason", containsString("peer support"));

    var redirected = EventProbe.await("tellonce-test.referral.v1", e -> person.equals(e.key())
        && "org.tellonce.referral.redirected.v1".equals(e.header("ce_type")), 2, Duration.ofSeconds(20));
    assertThat(redirected).hasSize(2);
    assertThat(redirected.get(1).data()).contains("\"loopDetected\":true").contains("\"recipientOrganization\":\"LA001\"")
        .contains("\"previousRecipient\":\"VCS01\"").doesNotContain("Back to secondary care");
    for (EventProbe.Event event : redirected) {
      assertThat(EventContracts.problems(event)).isEmpty();
    }
    var told = EventProbe.await("tellonce-test.referral.notification.v1", e -> person.equals(e.key())
        && e.data().contains("\"reason\":\"redirected\""), 6, Duration.ofSeconds(20));
    assertThat(told).extracting(EventProbe.Event::data)
        .anyMatch(d -> d.contains("\"audience\":\"receiver\"") && d.contains("\"organization\":\"LA001\""))
        .anyMatch(d -> d.contains("\"audience\":\"referrer\"") && d.contains("\"organization\":\"GPP01\""))
        .anyMatch(d -> d.contains("\"audience\":\"care-coordinator\"") && d.contains(coordinator));

    given().get("/q/metrics").then().statusCode(200)
        .body(containsString("tellonce_referral_redirects_total{from=\"VCS01\",loop=\"true\",to=\"LA001\"}"))
        .body(not(containsString(person)));
  }

  @Test
  void theInboxListsWhatTheTeamHoldsAndThePlainApiMovesIt() {
    String referral = refer(UUID.randomUUID().toString())[0];
    given().auth().oauth2(Tokens.user("nurse.mht")).get("/referrals?box=inbox&status=requested&_count=200")
        .then().statusCode(200).body("referrals.id", hasItem(referral));
    given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/json")
        .body("{\"status\":\"accepted\"}")
        .post("/referrals/" + referral + "/transitions")
        .then().statusCode(200).body("status", equalTo("accepted")).body("taskVersion", equalTo(2))
        .body("allowedMoves", equalTo(List.of("in-progress", "on-hold", "redirect")));
    given().auth().oauth2(Tokens.user("gp.riverside")).get("/referrals?box=sent&status=accepted&_count=200")
        .then().statusCode(200).body("referrals.id", hasItem(referral));
    given().auth().oauth2(Tokens.user("nurse.mht")).get("/referrals?box=elsewhere")
        .then().statusCode(400).body("resourceType", equalTo("OperationOutcome"));
    given().auth().oauth2(Tokens.user("worker.vcse")).get("/referrals/" + referral).then().statusCode(404);
  }
}
