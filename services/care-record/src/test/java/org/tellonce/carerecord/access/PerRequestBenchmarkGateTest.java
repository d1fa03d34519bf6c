package org.tellonce.carerecord.access;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tellonce.carerecord.record.RecordResourceTestAccess;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/**
 * The benchmark-only setting in which each request chooses the gate (the gate's cost measured in one process): only a
 * request carrying the header is served without a consent decision; every other read goes through the gate as
 * shipped, which here, with the consent service unreachable (%test config), fails closed.
 */
@QuarkusTest
@TestProfile(PerRequestBenchmarkGateTest.PerRequest.class)
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "care_record_test"))
class PerRequestBenchmarkGateTest {

  /** The bench profile with the per-request setting (refused without that profile). */
  public static class PerRequest implements QuarkusTestProfile {
    @Override
    public String getConfigProfile() {
      return "test,bench";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("tellonce.access.gate", AccessGate.PER_REQUEST_FOR_BENCHMARK);
    }
  }

  @Test
  void onlyARequestCarryingTheHeaderIsServedWithoutAConsentDecision() {
    String person = UUID.randomUUID().toString();
    String id = given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json")
        .body(RecordResourceTestAccess.allergy(person))
        .post("/fhir/AllergyIntolerance")
        .then().statusCode(201)
        .extract().path("id");

    given().auth().oauth2(Tokens.user("nurse.mht"))
        .header(AccessGate.BENCHMARK_HEADER, "off")
        .get("/fhir/AllergyIntolerance/" + id)
        .then().statusCode(200)
        .body("id", equalTo(id));
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .header(AccessGate.BENCHMARK_HEADER, "off")
        .get("/fhir/AllergyIntolerance?patient=" + person)
        .then().statusCode(200)
        .body("entry[0].resource.id", equalTo(id));

    given().auth().oauth2(Tokens.user("nurse.mht"))
        .get("/fhir/AllergyIntolerance/" + id)
        .then().statusCode(503)
        .body("issue[0].diagnostics", containsString("consent service cannot be reached"))
        .body(not(containsString("Penicillin")));
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .header(AccessGate.BENCHMARK_HEADER, "on")
        .get("/fhir/AllergyIntolerance?patient=" + person)
        .then().statusCode(503)
        .body(not(containsString("Penicillin")));
  }

  @Test
  void theHeaderDoesNotStandInForAToken() {
    given().header(AccessGate.BENCHMARK_HEADER, "off")
        .get("/fhir/AllergyIntolerance/" + UUID.randomUUID())
        .then().statusCode(401);
  }
}
