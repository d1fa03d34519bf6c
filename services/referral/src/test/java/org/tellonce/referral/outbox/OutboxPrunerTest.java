package org.tellonce.referral.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.tellonce.platform.outbox.OutboxPruner;
import org.tellonce.testing.TellonceInfra;

/** The platform's outbox pruner, on a service's real outbox: sent rows past the retention go, nothing else does. */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "referral_test"))
class OutboxPrunerTest {

  @Inject DataSource database;
  @Inject OutboxPruner pruner;

  /**
   * An outbox row sent {@code sentDaysAgo} days ago (null: not sent yet, so the relay sends it now — to a topic the
   * tests have, under a key no test waits for); answers its event id.
   */
  String row(Integer sentDaysAgo) throws Exception {
    String id = UUID.randomUUID().toString();
    try (var connection = database.getConnection(); var statement = connection.prepareStatement("""
        insert into outbox (event_id, topic, event_key, type, subject, payload, occurred_at, sent_at)
        values (?::uuid, 'referral.notification.v1', 'prune-test', 'org.tellonce.test.pruned.v1', 's', '{}',
                now() - interval '40 days', now() - make_interval(days => ?))""")) {
      statement.setString(1, id);
      if (sentDaysAgo == null) {
        statement.setNull(2, java.sql.Types.INTEGER);
      } else {
        statement.setInt(2, sentDaysAgo);
      }
      statement.executeUpdate();
    }
    return id;
  }

  List<String> remaining(List<String> ids) throws Exception {
    List<String> found = new ArrayList<>();
    try (var connection = database.getConnection(); var statement = connection.prepareStatement(
        "select event_id::text from outbox where event_id::text = any(?)")) {
      statement.setArray(1, connection.createArrayOf("text", ids.toArray()));
      try (var rows = statement.executeQuery()) {
        while (rows.next()) {
          found.add(rows.getString(1));
        }
      }
    }
    return found;
  }

  @Test
  void sentRowsPastTheRetentionGoAndNothingElse() throws Exception {
    String old = row(30);
    String older = row(8);
    String recent = row(2);
    String waiting = row(null);
    assertThat(pruner.prune().await().indefinitely()).isGreaterThanOrEqualTo(2);
    assertThat(remaining(List.of(old, older, recent, waiting))).containsExactlyInAnyOrder(recent, waiting);
  }
}
