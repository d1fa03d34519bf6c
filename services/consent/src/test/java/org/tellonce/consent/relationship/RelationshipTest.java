package org.tellonce.consent.relationship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
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
    List<String> marked = new ArrayList<>();
    try (var connection = DriverManager.getConnection(jdbc(), "postgres", "");
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

  static String jdbc() {
    var config = ConfigProvider.getConfig();
    return "jdbc:postgresql://" + config.getValue("tellonce.postgres.host", String.class) + ":"
        + config.getValue("tellonce.postgres.port", String.class) + "/consent_test";
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

  @Inject RelationshipListener listener;

  /** A record.v1 event as the consumer receives it, in a batch built here rather than by a poll. */
  static ConsumerRecord<String, String> received(String person, String eventId, String type, String data) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("ce_id", eventId.getBytes(StandardCharsets.UTF_8));
    headers.add("ce_type", type.getBytes(StandardCharsets.UTF_8));
    return new ConsumerRecord<>(RECORDS, 0, 0, 0, TimestampType.CREATE_TIME, 0, 0, person, data, headers,
        Optional.empty());
  }

  static ConsumerRecord<String, String> received(String person, String eventId, String type, String id, int version,
      String organization, String status) {
    return received(person, eventId, "org.tellonce.record.updated.v1", """
        {"resourceType":"%s","id":"%s","version":%d,"personId":"%s","sourceOrganization":%s,"labels":[],
         "status":"%s"}""".formatted(type, id, version, person, organization == null ? "null"
        : "\"" + organization + "\"", status));
  }

  void consume(List<ConsumerRecord<String, String>> batch) throws Throwable {
    VertxContextSupport.subscribeAndAwait(() -> listener.records(
        new ConsumerRecords<>(Map.of(new TopicPartition(RECORDS, 0), batch))));
  }

  /** The stored relationship of a source: status and version, or null when there is none. */
  static String relationship(String type, String sourceId) throws Exception {
    try (var connection = DriverManager.getConnection(jdbc(), "postgres", "");
        var select = connection.prepareStatement("select status || ' v' || version || (case when active then"
            + " ' open' else ' ended' end) from relationship where source_type = ? and source_id = ?")) {
      select.setString(1, type);
      select.setString(2, sourceId);
      try (var rows = select.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }

  @Test
  void aBatchOfEventsIsAppliedAsOneByOneInOrderWouldAndOnlyOnce() throws Throwable {
    SharingAgreements.ensure(null);
    String person = UUID.randomUUID().toString();
    String other = UUID.randomUUID().toString();
    String encounter = UUID.randomUUID().toString();
    String caseA = UUID.randomUUID().toString();
    String caseB = UUID.randomUUID().toString();
    String reopen = UUID.randomUUID().toString();
    String incomplete = UUID.randomUUID().toString();
    String observation = UUID.randomUUID().toString();
    String unstorable = UUID.randomUUID().toString();
    consume(List.of(
        // an encounter's newer version, then a late copy of an older one: the newer stands
        received(person, UUID.randomUUID().toString(), "Encounter", encounter, 2, "GPP01", "finished"),
        received(person, UUID.randomUUID().toString(), "Encounter", encounter, 1, "GPP01", "in-progress"),
        // a case opened and then moved on, and a second person's case closed at once: the last of each stands
        received(person, UUID.randomUUID().toString(), "EpisodeOfCare", caseA, 1, "LA001", "waitlist"),
        received(person, reopen, "EpisodeOfCare", caseA, 2, "LA001", "active"),
        received(other, UUID.randomUUID().toString(), "EpisodeOfCare", caseB, 1, "LA001", "active"),
        received(other, UUID.randomUUID().toString(), "EpisodeOfCare", caseB, 1, "LA001", "finished"),
        // not an episode, not a resource event, and an episode without its organisation (a dead letter)
        received(person, observation, "Observation", UUID.randomUUID().toString(), 1, "LA001", "final"),
        received(person, UUID.randomUUID().toString(), "org.tellonce.record.safeguarding.raised.v1", "{}"),
        received(person, incomplete, "EpisodeOfCare", UUID.randomUUID().toString(), 1, null, "active"),
        // a status the database refuses (a NUL character): the batch is applied one by one, and only it is refused
        received(person, unstorable, "EpisodeOfCare", UUID.randomUUID().toString(), 1, "LA001", "act\\u0000ive")));

    assertThat(relationship("encounter", encounter)).isEqualTo("finished v2 ended");
    assertThat(relationship("case", caseA)).isEqualTo("active v2 open");
    assertThat(relationship("case", caseB)).isEqualTo("finished v1 ended");
    DecisionResourceTestAccess.decide(person, "LA001").body("decisions[0].decision", equalTo("PERMIT"));
    DecisionResourceTestAccess.decide(person, "GPP01").body("decisions[0].decision", equalTo("DENY"));
    DecisionResourceTestAccess.decide(other, "LA001").body("decisions[0].decision", equalTo("DENY"));
    assertThat(marked(observation, incomplete, unstorable, reopen)).containsExactly(reopen);
    var dead = EventProbe.await(RECORDS + ".consent.dlq", e -> person.equals(e.key()), 2, Duration.ofSeconds(30));
    assertThat(dead).extracting(e -> e.header("ce_id")).containsExactlyInAnyOrder(incomplete, unstorable);
    assertThat(dead).extracting(e -> e.header("dead-letter-reason")).anySatisfy(
        reason -> assertThat(reason).contains("lacks the fields")).anySatisfy(
        reason -> assertThat(reason).contains("could not be applied"));

    // the case closes; then an event already applied comes again (the same id) and reopens nothing
    consume(List.of(received(person, UUID.randomUUID().toString(), "EpisodeOfCare", caseA, 3, "LA001", "finished")));
    consume(List.of(received(person, reopen, "EpisodeOfCare", caseA, 4, "LA001", "active")));
    assertThat(relationship("case", caseA)).isEqualTo("finished v3 ended");
    DecisionResourceTestAccess.decide(person, "LA001").body("decisions[0].decision", equalTo("DENY"));
  }
}
