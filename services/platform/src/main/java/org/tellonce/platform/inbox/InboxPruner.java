package org.tellonce.platform.inbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.tellonce.platform.persistence.Retention;

/**
 * Removes the inbox's marks of events processed more than {@code tellonce.inbox.keep} ago (30 days by default), a
 * batch at a time. A mark is what makes a redelivered event change nothing, and Kafka can deliver an event again only
 * while its topic still holds it (7 days by default for the event topics): kept four times as long, no mark goes
 * before its event can no longer come back. Without this the table grew by every event every consumer ever took.
 * Counted as {@code tellonce_inbox_pruned_total}.
 */
@ApplicationScoped
public class InboxPruner {

  private static final Logger LOG = Logger.getLogger(InboxPruner.class);

  /** The oldest marks first, found through {@code processed_event_age}. */
  public static final String PRUNE = "delete from processed_event where (consumer, event_id) in (select consumer,"
      + " event_id from processed_event where processed_at < $1 order by processed_at limit $2)";

  @Inject Pool pool;
  @Inject MeterRegistry registry;

  @ConfigProperty(name = "tellonce.inbox.keep", defaultValue = "P30D")
  Duration keep;

  @ConfigProperty(name = "tellonce.inbox.prune-batch", defaultValue = "10000")
  int batch;

  @Scheduled(every = "${tellonce.inbox.prune-interval:10m}", delayed = "3m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> scheduled() {
    return prune()
        .onFailure().invoke(e -> LOG.warnf("Could not prune the inbox: %s", e.getClass().getSimpleName()))
        .onFailure().recoverWithNull().replaceWithVoid();
  }

  /** Removes every mark older than the retention, a batch per statement; answers how many. */
  public Uni<Long> prune() {
    return Retention.deleteBefore(pool, PRUNE, OffsetDateTime.now(ZoneOffset.UTC).minus(keep), batch,
        registry.counter("tellonce.inbox.pruned"));
  }
}
