package org.tellonce.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.EventContracts;
import org.tellonce.testing.EventProbe;

/**
 * Runs last: every event the four services published during this end-to-end run — on every topic of
 * deploy/kafka/topics.txt but the dead-letter topics and the council's inbound topic, which carry what others send —
 * keeps its contract (CloudEvents headers, key = subject, data valid against contracts/events/&lt;type&gt;).
 */
@Order(Integer.MAX_VALUE)
class EveryEventKeepsItsContractIT {

  static final Path TOPICS = Path.of("../../deploy/kafka/topics.txt");
  static final Set<String> SERVICES = Set.of("urn:tellonce:identity", "urn:tellonce:consent",
      "urn:tellonce:care-record", "urn:tellonce:referral");

  /** When this run's test JVM started: the events of this run are those made since. */
  static final java.time.Instant RUN_STARTED = java.time.Instant.ofEpochMilli(
      java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());

  @Test
  void everyEventTheServicesPublishedKeepsItsContract() throws Exception {
    List<String> topics = Files.readAllLines(TOPICS).stream()
        .filter(line -> !line.isBlank() && !line.startsWith("#"))
        .map(line -> line.trim().split("\\s+")[0])
        .filter(topic -> !topic.endsWith(".dlq") && !topic.equals("council.inbound.v1"))
        .toList();
    List<String> problems = new ArrayList<>();
    int checked = 0;
    Set<String> types = new java.util.TreeSet<>();
    for (String topic : topics) {
      for (EventProbe.Event event : EventProbe.all(Services.TOPIC_PREFIX + topic, RUN_STARTED)) {
        if (!SERVICES.contains(event.header("ce_source"))) {
          continue;  // a test standing in for a partner system
        }
        if (event.header("ce_time") != null && java.time.OffsetDateTime.parse(event.header("ce_time")).toInstant()
            .isBefore(RUN_STARTED)) {
          continue;  // an earlier run's, on a stack kept between runs
        }
        checked++;
        types.add(event.header("ce_type"));
        EventContracts.problems(event).forEach(problem -> problems.add(topic + " " + event.header("ce_id") + ": "
            + problem));
      }
    }
    System.out.println(checked + " events of " + types.size() + " types on " + topics.size() + " topics checked, "
        + problems.size() + " problems");
    assertThat(checked).as("the run published events").isGreaterThan(100);
    assertThat(types).as("the kinds of event the end-to-end tests cause").hasSizeGreaterThanOrEqualTo(12);
    assertThat(problems).isEmpty();
  }
}
