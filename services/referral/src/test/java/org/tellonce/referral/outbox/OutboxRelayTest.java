package org.tellonce.referral.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.tellonce.platform.outbox.OutboxRelay;
import org.tellonce.testing.TellonceInfra;

/**
 * The platform's outbox relay takes turns with the service's other replicas: while one relays (holding the turn), the
 * others send nothing, not even rows the first has not taken, so that no replica publishes a later event of the
 * outbox before an earlier one another replica is still sending.
 */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "referral_test"))
class OutboxRelayTest {

  @Inject DataSource database;
  @Inject OutboxRelay relay;

  /** An unsent outbox row (to a topic the tests have, under a key no test waits for); answers its event id. */
  String unsent(Connection connection) throws Exception {
    String id = UUID.randomUUID().toString();
    try (var statement = connection.prepareStatement("""
        insert into outbox (event_id, topic, event_key, type, subject, payload, occurred_at)
        values (?::uuid, 'referral.notification.v1', 'relay-test', 'org.tellonce.test.relayed.v1', 's', '{}',
                now())""")) {
      statement.setString(1, id);
      statement.executeUpdate();
    }
    return id;
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
  void aReplicaSendsNothingWhileAnotherHasTheTurn() throws Exception {
    String eventId;
    try (Connection other = database.getConnection()) {
      // the other replica: it has the turn, mid-batch
      other.setAutoCommit(false);
      try (var statement = other.prepareStatement("select pg_advisory_xact_lock(?)")) {
        statement.setLong(1, OutboxRelay.TURN);
        statement.executeQuery().close();
      }
      try (Connection writer = database.getConnection()) {
        eventId = unsent(writer);
      }
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
