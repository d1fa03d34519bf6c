package org.tellonce.consent.relationship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.tellonce.consent.decision.DecisionResourceTestAccess;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.SharingAgreements;
import org.tellonce.testing.TellonceInfra;

/** Legitimate relationships from events: they open with a referral, encounter or case, and end when it does. */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "consent_test"))
public class RelationshipTest {

  static final String REFERRALS = "tellonce-test.referral.v1";
  static final String RECORDS = "tellonce-test.record.v1";

  static void referral(String person, String referralId, String recipient, String status) {
    EventProbe.publish(REFERRALS, person, UUID.randomUUID().toString(), "org.tellonce.referral.created.v1", """
        {"referralId":"%s","taskId":"t-%s","personId":"%s","requesterOrganization":"MHT01",
         "recipientOrganization":"%s","routingRule":"r1","categories":["social-prescribing"],"priority":"routine",
         "status":"%s","requestedBy":"nurse.mht"}""".formatted(referralId, referralId, person, recipient, status));
  }

  /** Publishes a record.v1 event and returns its event id. */
  static String record(String person, String type, String id, int version, String organization, String status) {
    String eventId = UUID.randomUUID().toString();
    EventProbe.publish(RECORDS, person, eventId, "org.tellonce.record.created.v1", """
        {"resourceType":"%s","id":"%s","version":%d,"personId":"%s","sourceOrganization":"%s","labels":[],
         "status":"%s"}""".formatted(type, id, version, person, organization, status));
    return eventId;
  }

  /** The event ids among {@code eventIds} that the record.v1 consumer has marked processed. */
  static List<String> marked(String... eventIds) throws Exception {
    var config = ConfigProvider.getConfig();
    String url = "jdbc:postgresql://" + config.getValue("tellonce.postgres.host", String.class) + ":"
        + config.getValue("tellonce.postgres.port", String.class) + "/consent_test";
    List<String> marked = new ArrayList<>();
    try (var connection = DriverManager.getConnection(url, "postgres", "");
        var select = connection.prepareStatement("select event_id from processed_event where consumer = ?"
            + " and event_id = any (?)")) {
      select.setString(1, RelationshipListener.RECORDS);
      select.setArray(2, connection.createArrayOf("text", eventIds));
      try (var rows = select.executeQuery()) {
        while (rows.next()) {
          marked.add(rows.getString(1));
        }
      }
    }
    return marked;
  }

  static void awaitDecision(String person, String organization, String decision) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> DecisionResourceTestAccess.decide(person, organization)
        .body("decisions[0].decision", equalTo(decision)));
  }

  @Test
  void anActiveReferralIsARelationshipUntilItIsCompleted() {
    SharingAgreements.ensure(null);
    String person = UUID.randomUUID().toString();
    String referralId = UUID.randomUUID().toString();
    DecisionResourceTestAccess.decide(person, "VCS01")
        .body("decisions[0].reasons[0].source", equalTo("policy/no-legitimate-relationship"));
    referral(person, referralId, "VCS01", "requested");
    awaitDecision(person, "VCS01", "PERMIT");
    DecisionResourceTestAccess.decide(person, "VCS01")
        .body("decisions[0].reasons[0].text", containsString("VCS01 holds an active referral for the person"));
    referral(person, referralId, "VCS01", "completed");
    awaitDecision(person, "VCS01", "DENY");
  }

  @Test
  void aRedirectedReferralMovesTheRelationshipToTheNewRecipient() {
    SharingAgreements.ensure(null);
    String person = UUID.randomUUID().toString();
    String referralId = UUID.randomUUID().toString();
    referral(person, referralId, "LA001", "requested");
    awaitDecision(person, "LA001", "PERMIT");
    referral(person, referralId, "VCS01", "requested");
    awaitDecision(person, "VCS01", "PERMIT");
    DecisionResourceTestAccess.decide(person, "LA001").body("decisions[0].decision", equalTo("DENY"));
  }

  @Test
  void anOpenEncounterOrCaseIsARelationshipAndAnOlderEventCannotReopenIt() {
    SharingAgreements.ensure(null);
    String person = UUID.randomUUID().toString();
    String encounter = UUID.randomUUID().toString();
    record(person, "Encounter", encounter, 1, "GPP01", "in-progress");
    awaitDecision(person, "GPP01", "PERMIT");
    DecisionResourceTestAccess.decide(person, "GPP01")
        .body("decisions[0].reasons[0].text", containsString("has an open encounter"));
    record(person, "Encounter", encounter, 2, "GPP01", "finished");
    awaitDecision(person, "GPP01", "DENY");
    // a late copy of version 1 (another event id) changes nothing; a later case event proves it was consumed
    record(person, "Encounter", encounter, 1, "GPP01", "in-progress");
    record(person, "EpisodeOfCare", UUID.randomUUID().toString(), 1, "LA001", "active");
    awaitDecision(person, "LA001", "PERMIT");
    DecisionResourceTestAccess.decide(person, "LA001")
        .body("decisions[0].reasons[0].text", containsString("holds the person's open social-care case"));
    DecisionResourceTestAccess.decide(person, "GPP01").body("decisions[0].decision", equalTo("DENY"));
    // record events of other resources are no episode and open nothing
    record(person, "Condition", UUID.randomUUID().toString(), 1, "MHT01", "active");
    DecisionResourceTestAccess.decide(person, "MHT01").body("decisions[0].decision", equalTo("DENY"));
  }

  @Test
  void eventsOfResourcesThatAreNoEpisodeArePassedByWithoutATransaction() throws Exception {
    SharingAgreements.ensure(null);
    String person = UUID.randomUUID().toString();
    String observation = record(person, "Observation", UUID.randomUUID().toString(), 1, "LA001", "final");
    String condition = record(person, "Condition", UUID.randomUUID().toString(), 1, "LA001", "active");
    // on the same partition, after them: once the case opens, both were consumed before it
    String episode = record(person, "EpisodeOfCare", UUID.randomUUID().toString(), 1, "LA001", "active");
    awaitDecision(person, "LA001", "PERMIT");
    assertThat(marked(observation, condition, episode)).containsExactly(episode);
  }

  @Test
  void aReferralEventWithoutARecipientGoesToTheDeadLetterTopic() {
    String person = UUID.randomUUID().toString();
    EventProbe.publish(REFERRALS, person, UUID.randomUUID().toString(), "org.tellonce.referral.created.v1",
        "{\"referralId\":\"x\",\"personId\":\"" + person + "\",\"status\":\"requested\"}");
    var dead = EventProbe.await(REFERRALS + ".consent.dlq", e -> person.equals(e.key()), 1, Duration.ofSeconds(30));
    assertThat(dead.get(0).header("dead-letter-reason")).contains("lacks the fields");
  }
}
