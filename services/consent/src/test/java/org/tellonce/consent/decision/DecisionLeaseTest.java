package org.tellonce.consent.decision;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/** The other half of a decision's lease: a change is acknowledged only once every answer taken before it expired. */
@QuarkusTest
@TestProfile(DecisionLeaseTest.OneSecondLease.class)
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "consent_test"))
class DecisionLeaseTest {

  /** A lease far longer than a change takes to store, so the hold is what the test measures. */
  public static class OneSecondLease implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("tellonce.consent.decision-lease", "PT1S");
    }
  }

  @Test
  void aChangeIsAcknowledgedOnlyOnceEveryDecisionTakenBeforeItHasExpired() throws Exception {
    String person = UUID.randomUUID().toString();
    DecisionResourceTest.careTeam(person, UUID.randomUUID().toString(), 1, "MHT01", "LA001");
    long lease = DecisionResourceTest.decide("care-record", person, "LA001", "TREAT")
        .extract().jsonPath().getLong("leaseMillis");
    assertThat(lease).as("the lease each answer carries").isEqualTo(1000);

    // Ask again and again while the objection is stored. The last question answered PERMIT was sent before the change
    // was stored, and its answer may be reused until a lease after it was sent: the acknowledgement must come later.
    AtomicLong lastPermitSent = new AtomicLong();
    AtomicBoolean denied = new AtomicBoolean();
    Thread asker = new Thread(() -> {
      while (!denied.get()) {
        long sent = System.nanoTime();
        String decision = DecisionResourceTest.decide("care-record", person, "LA001", "TREAT")
            .extract().path("decisions[0].decision");
        if ("PERMIT".equals(decision)) {
          lastPermitSent.set(sent);
        } else {
          denied.set(true);
        }
      }
    });
    asker.start();
    Thread.sleep(100);
    long changing = System.nanoTime();
    String consentId = given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json")
        .body(DecisionResourceTest.objection(person, "LA001"))
        .post("/fhir/Consent").then().statusCode(201).extract().path("id");
    long acknowledged = System.nanoTime();
    asker.join(10_000);
    assertThat(denied).as("the objection is enforced").isTrue();
    assertThat(lastPermitSent.get()).as("a PERMIT was answered while the change was made").isPositive();
    assertThat(Duration.ofNanos(acknowledged - lastPermitSent.get()).toMillis())
        .as("from the last question answered PERMIT to the acknowledgement of the objection")
        .isGreaterThanOrEqualTo(lease);

    // A refused change is answered at once (nothing changed); so are reads and questions to the decision point.
    long refusing = System.nanoTime();
    given().auth().oauth2(Tokens.user("nurse.mht")).contentType("application/fhir+json")
        .body("{\"resourceType\":\"Consent\"}").put("/fhir/Consent/" + consentId).then().statusCode(422);
    assertThat(Duration.ofNanos(System.nanoTime() - refusing).toMillis()).isLessThan(lease);
    assertThat(Duration.ofNanos(acknowledged - changing).toMillis()).isGreaterThanOrEqualTo(lease);
    assertThat(DecisionLease.changes("POST", "/decisions")).isFalse();
    assertThat(DecisionLease.changes("POST", "decisions")).isFalse();
    assertThat(DecisionLease.changes("GET", "/fhir/Consent")).isFalse();
    assertThat(DecisionLease.changes("PUT", "/fhir/Consent/1")).isTrue();
    assertThat(DecisionLease.changes("DELETE", "/agreements/1")).isTrue();
  }
}
