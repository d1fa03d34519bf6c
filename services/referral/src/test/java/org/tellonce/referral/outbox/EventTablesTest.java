package org.tellonce.referral.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.tellonce.platform.outbox.OutboxRelay;
import org.tellonce.platform.persistence.Retention;
import org.tellonce.testing.TellonceInfra;

/**
 * The platform's event tables, on a service's real ones. The outbox: the pruner removes sent rows past the retention
 * and nothing else; the relay takes turns with the service's other replicas, so that none publishes a later event of
 * the outbox before an earlier one another replica is still sending. The inbox: marks older than its retention go,
 * the others stay. Both pruners find their rows through an index, never by reading the whole table.
 */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "referral_test"))
class EventTablesTest {

  @Inject DataSource database;
  @Inject Retention retention;
  @Inject OutboxRelay relay;

  /**
   * Inserts a row by the statement, which takes a new event id and then a number of days ago (null allowed); answers
   * the event id.
   */
  String inserted(String insert, Integer daysAgo) throws Exception {
    String id = UUID.randomUUID().toString();
    try (var connection = database.getConnection(); var statement = connection.prepareStatement(insert)) {
      statement.setString(1, id);
      if (daysAgo == null) {
        statement.setNull(2, java.sql.Types.INTEGER);
      } else {
        statement.setInt(2, daysAgo);
      }
      statement.executeUpdate();
    }
    return id;
  }

  /**
   * An outbox row sent {@code sentDaysAgo} days ago (null: not sent yet, so the relay sends it now — to a topic the
   * tests have, under a key no test waits for); answers its event id.
   */
  String row(Integer sentDaysAgo) throws Exception {
    return inserted("""
        insert into outbox (event_id, topic, event_key, type, subject, payload, occurred_at, sent_at)
        values (?::uuid, 'referral.notification.v1', 'prune-test', 'org.tellonce.test.pruned.v1', 's', '{}',
                now() - interval '40 days', now() - make_interval(days => ?))""", sentDaysAgo);
  }

  /** Which of the ids the query (of event ids, taking them as an array) still finds. */
  List<String> found(String query, List<String> ids) throws Exception {
    List<String> found = new ArrayList<>();
    try (var connection = database.getConnection(); var statement = connection.prepareStatement(query)) {
      statement.setArray(1, connection.createArrayOf("text", ids.toArray()));
      try (var rows = statement.executeQuery()) {
        while (rows.next()) {
          found.add(rows.getString(1));
        }
      }
    }
    return found;
  }

  List<String> remaining(List<String> ids) throws Exception {
    return found("select event_id::text from outbox where event_id::text = any(?)", ids);
  }

  @Test
  void sentRowsPastTheRetentionGoAndNothingElse() throws Exception {
    String old = row(30);
    String older = row(8);
    String recent = row(2);
    String waiting = row(null);
    assertThat(retention.pruneOutbox().await().indefinitely()).isGreaterThanOrEqualTo(2);
    assertThat(remaining(List.of(old, older, recent, waiting))).containsExactlyInAnyOrder(recent, waiting);
  }

  /**
   * The plan of a pruner's statement. On a test's few rows the planner would read the table whatever the indexes, so
   * it is told not to where it has a choice: the plan shows which index can find the rows.
   */
  String plan(String prune) throws Exception {
    try (var connection = database.getConnection()) {
      connection.setAutoCommit(false);
      connection.createStatement().execute("set local enable_seqscan = off");
      StringBuilder plan = new StringBuilder();
      try (var statement = connection.prepareStatement("explain " + prune.replaceAll("\\$\\d", "?"))) {
        statement.setObject(1, java.time.OffsetDateTime.now().minusDays(7));
        statement.setInt(2, 10_000);
        try (var rows = statement.executeQuery()) {
          while (rows.next()) {
            plan.append(rows.getString(1)).append('\n');
          }
        }
      }
      connection.rollback();
      return plan.toString();
    }
  }

  /** A run with nothing to remove does not read the whole outbox (a week of sent events). */
  @Test
  void theOutboxPrunerFindsItsRowsThroughAnIndex() throws Exception {
    assertThat(plan(Retention.OUTBOX)).contains("outbox_sent").contains("Index Cond: (sent_at <")
        .doesNotContain("Seq Scan");
  }

  /** Nor the inbox (every event every consumer took in the retention). */
  @Test
  void theInboxPrunerFindsItsMarksThroughAnIndex() throws Exception {
    assertThat(plan(Retention.INBOX)).contains("processed_event_age").contains("Index Cond: (processed_at <")
        .doesNotContain("Seq Scan");
  }

  /** An inbox mark of {@code daysAgo} days ago, by a consumer no service has; answers its event id. */
  String mark(int daysAgo) throws Exception {
    return inserted("""
        insert into processed_event (consumer, event_id, processed_at)
        values ('prune-test', ?, now() - make_interval(days => ?))""", daysAgo);
  }

  List<String> marked(List<String> ids) throws Exception {
    return found("select event_id from processed_event where consumer = 'prune-test' and event_id = any(?)", ids);
  }

  @Test
  void inboxMarksPastTheRetentionGoAndNothingElse() throws Exception {
    String old = mark(90);
    String older = mark(31);
    String recent = mark(29);
    String today = mark(0);
    assertThat(retention.pruneInbox().await().indefinitely()).isGreaterThanOrEqualTo(2);
    assertThat(marked(List.of(old, older, recent, today))).containsExactlyInAnyOrder(recent, today);
  }

  boolean sent(String eventId) throws Exception {
    try (var connection = database.getConnection(); var statement = connection.prepareStatement(
        "select sent_at is not null from outbox where event_id = ?::uuid")) {
      statement.setString(1, eventId);
      try (var rows = statement.executeQuery()) {
        return rows.next() && rows.getBoolean(1);
      }
    }
  }

  @Test
  void aReplicaRelaysNothingWhileAnotherHasTheTurn() throws Exception {
    String eventId;
    try (Connection other = database.getConnection()) {
      // the other replica: it has the turn, mid-batch
      other.setAutoCommit(false);
      try (var statement = other.prepareStatement("select pg_advisory_xact_lock(?)")) {
        statement.setLong(1, OutboxRelay.TURN);
        statement.executeQuery().close();
      }
      eventId = row(null);
      assertThat(relay.relayBatch().await().atMost(Duration.ofSeconds(10))).isZero();
      // and the scheduled relay of this replica, a tick later, neither
      Thread.sleep(1500);
      assertThat(sent(eventId)).isFalse();
      other.rollback();
    }
    // the turn given up: the next tick sends it
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> sent(eventId));
  }
}
