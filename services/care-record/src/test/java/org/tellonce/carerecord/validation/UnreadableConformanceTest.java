package org.tellonce.carerecord.validation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tellonce.carerecord.council.CouncilEvents;
import org.tellonce.carerecord.record.RecordResourceTestAccess;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/**
 * A care record whose conformance resources cannot be read (read once it listens) takes nothing unchecked: writes are
 * refused with 503, readiness is DOWN with the reason, and council events carrying resources wait rather than being
 * dead-lettered for a fault that is not theirs.
 */
@QuarkusTest
@TestProfile(UnreadableConformanceTest.BrokenFolder.class)
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "care_record_test"))
class UnreadableConformanceTest {

  static final String COUNCIL = "tellonce-test.council.inbound.v1";

  /** A conformance folder that can be listed (the start goes on) holding a definition that cannot be parsed. */
  public static class BrokenFolder implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      try {
        Path folder = Files.createTempDirectory("tellonce-broken-conformance");
        Files.createDirectories(folder.resolve("structuredefinitions"));
        Files.writeString(folder.resolve("structuredefinitions/UKCore-Broken.json"), "{\"resourceType\": \"Struct");
        // the test profile's own value (application.properties) is looked up before the plain key
        return Map.of("tellonce.fhir.conformance", folder.toString(), "%test.tellonce.fhir.conformance",
            folder.toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Test
  void writesAreRefusedCouncilResourcesWaitAndReadinessSaysWhy() throws Exception {
    String person = UUID.randomUUID().toString();
    // the first write waits for the definitions (read once the service listens, or at the first check)
    given().auth().oauth2(Tokens.user("nurse.mht"))
        .contentType("application/fhir+json")
        .body(RecordResourceTestAccess.allergy(person))
        .post("/fhir/AllergyIntolerance")
        .then().statusCode(503)
        .body("resourceType", equalTo("OperationOutcome"))
        .body("issue[0].diagnostics", containsString("cannot validate resources now"))
        .body("issue[0].diagnostics", not(containsString("tellonce-broken-conformance")));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
        .statusCode(503)
        .body("checks.find { it.name == 'fhir-validation' }.status", equalTo("DOWN"))
        .body("checks.find { it.name == 'fhir-validation' }.data.reason",
            containsString("conformance resources could not be read")));

    Instant sent = Instant.now();
    EventProbe.publish(COUNCIL, person, UUID.randomUUID().toString(), CouncilEvents.FHIR, "LA001",
        RecordResourceTestAccess.allergy(person));
    List<EventProbe.Event> dead = EventProbe.await(COUNCIL + ".care-record.dlq", sent, e -> person.equals(e.key()), 1,
        Duration.ofSeconds(8));
    assertThat(dead).as("held, not dead-lettered").isEmpty();
    assertThat(RecordResourceTestAccess.query("select count(*) from record_resource where person_id = '" + person
        + "'")).containsExactly("0");
  }
}
