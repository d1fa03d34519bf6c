package org.tellonce.consent.person;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tellonce.consent.decision.DecisionResourceTestAccess;
import org.tellonce.platform.decision.Obligations;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.TellonceInfra;

/** The consent service follows identity.person.v1: restricted persons and merged records. */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "consent_test"))
public class PersonProjectionTest {

  static final String PERSONS = "tellonce-test.identity.person.v1";

  static void person(String personId, int version, boolean restricted, String recordedBy) {
    EventProbe.publish(PERSONS, personId, UUID.randomUUID().toString(), "org.tellonce.identity.person.registered.v1", """
        {"personId":"%s","version":%d,"active":true,"identifiers":[],"restricted":%s,"recordedBy":"%s"}
        """.formatted(personId, version, restricted, recordedBy));
  }

  static void merge(String type, String mergeId, String source, String target) {
    EventProbe.publish(PERSONS, target, UUID.randomUUID().toString(), type, """
        {"mergeId":"%s","sourceId":"%s","targetId":"%s","sourceVersion":2,"targetVersion":2,"by":"MHT01"}
        """.formatted(mergeId, source, target));
  }

  static ValidatableResponse decide(String personId, String organization) {
    return DecisionResourceTestAccess.decide(personId, organization);
  }

  @Test
  void permitsForARestrictedPersonWithholdContactDetailsOutsideTheRecordingOrganisation() {
    String personId = UUID.randomUUID().toString();
    DecisionResourceTestAccess.careTeam(personId, "MHT01", "LA001");
    person(personId, 1, true, "MHT01");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> decide(personId, "LA001")
        .body("decisions[0].decision", equalTo("PERMIT"))
        .body("decisions[0].obligations", hasItem(Obligations.REDACT_CONTACT_DETAILS)));
    decide(personId, "MHT01")
        .body("decisions[0].decision", equalTo("PERMIT"))
        .body("decisions[0].obligations", not(hasItem(Obligations.REDACT_CONTACT_DETAILS)));

    // the flag lifted (a later version) — and an older event arriving late changes nothing
    person(personId, 3, false, "MHT01");
    person(personId, 2, true, "MHT01");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> decide(personId, "LA001")
        .body("decisions[0].obligations", not(hasItem(Obligations.REDACT_CONTACT_DETAILS))));
  }

  @Test
  void aMergedRecordsConsentsAndCareTeamsCountForTheRecordItWasMergedInto() {
    String source = UUID.randomUUID().toString();
    String target = UUID.randomUUID().toString();
    DecisionResourceTestAccess.careTeam(source, "VCS01");
    decide(target, "VCS01").body("decisions[0].decision", equalTo("DENY"));

    String mergeId = UUID.randomUUID().toString();
    merge("org.tellonce.identity.person.merged.v1", mergeId, source, target);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        decide(target, "VCS01").body("decisions[0].decision", equalTo("PERMIT")));
    // asking about the merged-away id is asking about the person
    decide(source, "VCS01").body("decisions[0].decision", equalTo("PERMIT"));

    merge("org.tellonce.identity.person.unmerged.v1", mergeId, source, target);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        decide(target, "VCS01").body("decisions[0].decision", equalTo("DENY")));
  }
}
