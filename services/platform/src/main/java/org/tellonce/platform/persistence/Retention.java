package org.tellonce.platform.persistence;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * How long the event tables keep what they no longer need, and their pruning: every 10 minutes, a batch per statement
 * (no statement holds many locks or a long transaction, and a backlog is worked off in steps), each statement finding
 * its rows through an index on the age it compares, oldest first, never by reading the whole table.
 * <ul>
 *   <li>The outbox: rows Kafka acknowledged more than {@code tellonce.outbox.keep-sent} ago (7 days by default: long
 *       enough to see what was sent when something goes wrong), through {@code outbox_sent}. Rows not yet sent are
 *       never touched. Counted as {@code tellonce_outbox_pruned_total}.
 *   <li>The inbox: the marks of events processed more than {@code tellonce.inbox.keep} ago (30 days by default). A mark
 *       is what makes a redelivered event change nothing, and Kafka can deliver an event again only while its topic
 *       still holds it (7 days by default for the event topics): kept four times as long, no mark goes before its
 *       event can no longer come back. Through {@code processed_event_age}; counted as
 *       {@code tellonce_inbox_pruned_total}.
 * </ul>
 */
@ApplicationScoped
public class Retention {

  private static final Logger LOG = Logger.getLogger(Retention.class);

  /** Sent outbox rows, the oldest first. */
  public static final String OUTBOX = "delete from outbox where position in (select position from outbox"
      + " where sent_at < $1 order by sent_at limit $2)";

  /** Inbox marks, the oldest first. */
  public static final String INBOX = "delete from processed_event where (consumer, event_id) in (select consumer,"
      + " event_id from processed_event where processed_at < $1 order by processed_at limit $2)";

  @Inject Pool pool;
  @Inject MeterRegistry registry;

  @ConfigProperty(name = "tellonce.outbox.keep-sent", defaultValue = "P7D")
  Duration keepSent;

  @ConfigProperty(name = "tellonce.inbox.keep", defaultValue = "P30D")
  Duration keepMarks;

  @ConfigProperty(name = "tellonce.outbox.prune-batch", defaultValue = "10000")
  int batch;

  @Scheduled(every = "${tellonce.outbox.prune-interval:10m}", delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> scheduled() {
    return logged("the outbox", pruneOutbox()).chain(() -> logged("the inbox", pruneInbox()));
  }

  /** Removes every sent outbox row older than the retention; answers how many. */
  public Uni<Long> pruneOutbox() {
    return deleteBefore(OUTBOX, keepSent, "tellonce.outbox.pruned");
  }

  /** Removes every inbox mark older than the retention; answers how many. */
  public Uni<Long> pruneInbox() {
    return deleteBefore(INBOX, keepMarks, "tellonce.inbox.pruned");
  }

  /** A failure is logged (without data) and the next run tries again. */
  private static Uni<Void> logged(String table, Uni<Long> pruning) {
    return pruning
        .onFailure().invoke(e -> LOG.warnf("Could not prune %s: %s", table, e.getClass().getSimpleName()))
        .onFailure().recoverWithNull().replaceWithVoid();
  }

  private Uni<Long> deleteBefore(String delete, Duration keep, String counter) {
    return deleteFrom(delete, OffsetDateTime.now(ZoneOffset.UTC).minus(keep), counter, 0L);
  }

  private Uni<Long> deleteFrom(String delete, OffsetDateTime before, String counter, long sofar) {
    return pool.preparedQuery(delete).execute(Tuple.of(before, batch)).chain(rows -> {
      int removed = rows.rowCount();
      registry.counter(counter).increment(removed);
      return removed < batch ? Uni.createFrom().item(sofar + removed)
          : deleteFrom(delete, before, counter, sofar + removed);
    });
  }
}
