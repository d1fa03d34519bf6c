package org.tellonce.carerecord.council;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tellonce.carerecord.record.RecordResourceTestAccess;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.TellonceInfra;

/** Council case-management events into the shared record: mapped, idempotent, updated in place, poison dead-lettered. */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "care_record_test"))
class CouncilInboundTest {

  static final String TOPIC = "tellonce-test.council.inbound.v1";

  static List<String> query(String sql) throws Exception {
    return RecordResourceTestAccess.query(sql);
  }

  static void send(String person, String eventId, String type, String data) {
    EventProbe.publish(TOPIC, person, eventId, CouncilEvents.PREFIX + type, "LA001", data);
  }

  @Test
  void aCarePackageIsOneEpisodeFromStartToEndAndAReplayChangesNothing() throws Exception {
    String person = UUID.randomUUID().toString();
    String started = UUID.randomUUID().toString();
    String packageId = "PKG-" + UUID.randomUUID();
    send(person, started, "care-package.started.v1", """
        {"packageId":"%s","service":"Home care, 10 hours a week","started":"2026-03-01"}""".formatted(packageId));
    send(person, UUID.randomUUID().toString(), "assessment.completed.v1", """
        {"assessmentId":"A-1","kind":"care-act-assessment","completed":"2026-02-20"}""");
    send(person, UUID.randomUUID().toString(), "care-package.ended.v1", """
        {"packageId":"%s","ended":"2026-06-30"}""".formatted(packageId));
    send(person, started, "care-package.started.v1", """
        {"packageId":"%s","service":"Home care, 10 hours a week","started":"2026-03-01"}""".formatted(packageId));
    String episodes = "select version || ':' || (resource::jsonb ->> 'status') || ':' || source_org"
        + " from record_resource where resource_type = 'EpisodeOfCare' and person_id = '" + person + "'";
    await().atMost(Duration.ofSeconds(30)).until(() -> query(episodes).equals(List.of("2:finished:LA001")));
    assertThat(query("select resource::jsonb -> 'type' -> 0 -> 'coding' -> 0 ->> 'code' from record_resource"
        + " where resource_type = 'Encounter' and person_id = '" + person + "'")).containsExactly("care-act-assessment");
    // The replayed start, after the end, changed nothing: still version 2, finished.
    Thread.sleep(1000);
    assertThat(query(episodes)).containsExactly("2:finished:LA001");
  }

  @Test
  void aSafeguardingConcernBecomesALabelledFlagAndTellsTheEscalationRoute() throws Exception {
    String person = UUID.randomUUID().toString();
    send(person, UUID.randomUUID().toString(), "safeguarding.concern-raised.v1", """
        {"concernId":"C-9","raised":"2026-04-02T09:30:00Z"}""");
    await().atMost(Duration.ofSeconds(30)).until(() -> !query("select labels from record_resource where"
        + " resource_type = 'Flag' and person_id = '" + person + "'").isEmpty());
    assertThat(query("select labels from record_resource where resource_type = 'Flag' and person_id = '" + person
        + "'")).containsExactly("safeguarding");
    assertThat(EventProbe.await("tellonce-test.record.v1", e -> person.equals(e.key())
        && "org.tellonce.record.safeguarding.raised.v1".equals(e.header("ce_type")), 1, Duration.ofSeconds(30)))
        .hasSize(1);
  }

  @Test
  void whatCannotBeTakenInGoesToTheDeadLetterTopicWithTheReason() {
    String person = UUID.randomUUID().toString();
    send(person, UUID.randomUUID().toString(), "care-package.started.v1", "{\"service\":\"no id\"}");
    send(person, UUID.randomUUID().toString(), "weather.changed.v1", "{}");
    List<EventProbe.Event> dead = EventProbe.await(TOPIC + ".care-record.dlq", e -> person.equals(e.key()), 2,
        Duration.ofSeconds(30));
    assertThat(dead).hasSize(2);
    assertThat(dead).extracting(e -> e.header("dead-letter-reason"))
        .anySatisfy(reason -> assertThat(reason).contains("packageId is required"))
        .anySatisfy(reason -> assertThat(reason).contains("Unknown event type"));
  }
}
