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

  @Test
  void aBatchOfManyEventsIsTakenInOrderOnceEachWithThePoisonSetAside() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String> persons = new java.util.ArrayList<>();
    List<EventProbe.Outgoing> events = new java.util.ArrayList<>();
    String replayed = UUID.randomUUID().toString();
    for (int i = 0; i < 30; i++) {
      String person = run + "-p" + i;
      persons.add(person);
      String started = i == 0 ? replayed : UUID.randomUUID().toString();
      String start = """
          {"packageId":"PKG-%s-%d","service":"Home care","started":"2026-03-01"}""".formatted(run, i);
      events.add(new EventProbe.Outgoing(person, started, CouncilEvents.PREFIX + "care-package.started.v1", "LA001",
          start));
      events.add(new EventProbe.Outgoing(person, UUID.randomUUID().toString(),
          CouncilEvents.PREFIX + "assessment.completed.v1", "LA001", """
          {"assessmentId":"A-%s-%d","kind":"care-act-assessment","completed":"2026-02-20"}""".formatted(run, i)));
      if (i == 10) {
        // in the middle: one the batch cannot take (the shared care plan's rules), and one that is poison
        events.add(new EventProbe.Outgoing(person, UUID.randomUUID().toString(), CouncilEvents.FHIR, "LA001", """
            {"resourceType":"CarePlan","status":"active","intent":"plan","subject":{"reference":"Patient/%s"},
             "identifier":[{"system":"https://council.example/plans","value":"PLAN-%s"}]}""".formatted(person, run)));
        events.add(new EventProbe.Outgoing(person, UUID.randomUUID().toString(),
            CouncilEvents.PREFIX + "care-package.started.v1", "LA001", "{\"service\":\"no id\"}"));
      }
      events.add(new EventProbe.Outgoing(person, UUID.randomUUID().toString(),
          CouncilEvents.PREFIX + "care-package.ended.v1", "LA001", """
          {"packageId":"PKG-%s-%d","ended":"2026-06-30"}""".formatted(run, i)));
      if (i == 0) {
        // a redelivery of the first start, after the end: changes nothing
        events.add(new EventProbe.Outgoing(person, replayed, CouncilEvents.PREFIX + "care-package.started.v1",
            "LA001", start));
      }
    }
    EventProbe.publishAll(TOPIC, events);

    String inRun = " person_id like '" + run + "-%'";
    await().atMost(Duration.ofSeconds(60)).until(() -> query("select count(*) from record_resource where"
        + " resource_type = 'EpisodeOfCare' and version = 2 and" + inRun).equals(List.of("30")));
    // each package: one episode, started then finished (version 2), in the order sent
    assertThat(query("select distinct version || ':' || (resource::jsonb ->> 'status') from record_resource where"
        + " resource_type = 'EpisodeOfCare' and" + inRun)).containsExactly("2:finished");
    assertThat(query("select count(*) from record_resource where resource_type = 'Encounter' and" + inRun))
        .containsExactly("30");
    assertThat(query("select count(*) from record_resource where resource_type = 'CarePlan' and" + inRun))
        .containsExactly("1");
    // every version kept, each with its Provenance, and the index holding the current version's values only
    assertThat(query("select count(*) from record_version where resource_type <> 'Provenance' and" + inRun))
        .containsExactly("91");
    assertThat(query("select count(*) from record_resource where resource_type = 'Provenance' and" + inRun))
        .containsExactly("91");
    assertThat(query("select count(*) from record_index i join record_resource r using (resource_type, id)"
        + " where i.param = 'status' and r.resource_type = 'EpisodeOfCare' and r." + inRun.trim()))
        .containsExactly("30");
    assertThat(query("select count(*) from record_index i join record_resource r using (resource_type, id)"
        + " where i.param = 'status' and i.code = 'finished' and r.resource_type = 'EpisodeOfCare' and r."
        + inRun.trim())).containsExactly("30");
    // a record.v1 event per version, in order per person
    List<EventProbe.Event> told = EventProbe.await("tellonce-test.record.v1", e -> (run + "-p3").equals(e.key()), 3,
        Duration.ofSeconds(30));
    assertThat(told.stream().map(e -> e.header("ce_type")))
        .containsExactly("org.tellonce.record.created.v1", "org.tellonce.record.created.v1",
            "org.tellonce.record.updated.v1");
    // the poison, and only it, set aside with its reason
    List<EventProbe.Event> dead = EventProbe.await(TOPIC + ".care-record.dlq", e -> e.key().startsWith(run), 1,
        Duration.ofSeconds(30));
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).header("dead-letter-reason")).contains("packageId is required");
    assertThat(dead.get(0).header("ce_type")).endsWith("care-package.started.v1");
  }
}
