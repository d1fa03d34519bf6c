package org.tellonce.identity.careteam;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tellonce.identity.patient.PatientResourceTest;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.NhsNumbers;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "identity_test"))
class CareTeamResourceTest {

  static String careTeam(String personId, String... organizations) {
    StringBuilder participants = new StringBuilder();
    for (String org : organizations) {
      if (participants.length() > 0) {
        participants.append(',');
      }
      participants.append("""
          {"member":{"type":"Organization","identifier":{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"%s"}}}
          """.formatted(org));
    }
    return """
        {"resourceType":"CareTeam","status":"active","name":"MDT",
         "subject":{"reference":"Patient/%s"},"participant":[%s]}
        """.formatted(personId, participants);
  }

  @Test
  void recordsTheTeamAndPublishesItsMembersKeyedByPerson() {
    String personId = PatientResourceTest.register(NhsNumbers.random());
    String teamId = given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json")
        .body(careTeam(personId, "MHT01", "LA001"))
        .post("/fhir/CareTeam")
        .then().statusCode(201)
        .body("subject.reference", equalTo("Patient/" + personId))
        .extract().path("id");

    List<EventProbe.Event> events = EventProbe.await("tellonce-test.identity.careteam.v1",
        e -> personId.equals(e.key()), 1, Duration.ofSeconds(20));
    assertThat(events).hasSize(1);
    EventProbe.Event event = events.get(0);
    assertThat(event.header("ce_specversion")).isEqualTo("1.0");
    assertThat(event.header("ce_type")).isEqualTo("org.tellonce.identity.careteam.changed.v1");
    assertThat(event.header("ce_subject")).isEqualTo(personId);
    assertThat(event.header("ce_id")).isNotBlank();
    assertThat(event.data()).contains("\"careTeamId\":\"" + teamId + "\"").contains("\"LA001\"").contains("\"MHT01\"");
  }

  @Test
  void updatesTheTeamAndRaisesItsVersion() {
    String personId = PatientResourceTest.register(NhsNumbers.random());
    String teamId = given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json")
        .body(careTeam(personId, "MHT01"))
        .post("/fhir/CareTeam")
        .then().statusCode(201).extract().path("id");
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json")
        .body(careTeam(personId, "MHT01", "VCS01"))
        .put("/fhir/CareTeam/" + teamId)
        .then().statusCode(200)
        .body("meta.versionId", equalTo("2"));
    given().auth().oauth2(Tokens.user("sw.council"))
        .get("/fhir/CareTeam/" + teamId)
        .then().statusCode(200)
        .body("participant.size()", equalTo(2));
  }

  @Test
  void refusesATeamForAnUnregisteredPersonWith422() {
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json")
        .body(careTeam("no-such-person", "MHT01"))
        .post("/fhir/CareTeam")
        .then().statusCode(422)
        .body("issue[0].diagnostics", containsString("not registered"));
  }

  @Test
  void refusesAMemberThatIsNotAnOrganisationOrRoleWith422() {
    String personId = PatientResourceTest.register(NhsNumbers.random());
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json")
        .body("""
            {"resourceType":"CareTeam","subject":{"reference":"Patient/%s"},
             "participant":[{"member":{"display":"someone"}}]}
            """.formatted(personId))
        .post("/fhir/CareTeam")
        .then().statusCode(422)
        .body("issue[0].diagnostics", containsString("ods-organization-code"));
  }
}
