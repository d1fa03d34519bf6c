package org.tellonce.platform.outbox;

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
 * Removes outbox rows Kafka acknowledged more than {@code tellonce.outbox.keep-sent} ago (7 days by default: long
 * enough to see what was sent when something goes wrong), a batch at a time, so the table holds what is waiting plus a
 * week. Rows not yet sent are never touched. Counted as {@code tellonce_outbox_pruned_total}.
 */
@ApplicationScoped
public class OutboxPruner {

  private static final Logger LOG = Logger.getLogger(OutboxPruner.class);

  /** The oldest sent rows first, found through {@code outbox_sent}: never a read of the whole outbox. */
  public static final String PRUNE = "delete from outbox where position in (select position from outbox"
      + " where sent_at < $1 order by sent_at limit $2)";

  @Inject Pool pool;
  @Inject MeterRegistry registry;

  @ConfigProperty(name = "tellonce.outbox.keep-sent", defaultValue = "P7D")
  Duration keepSent;

  @ConfigProperty(name = "tellonce.outbox.prune-batch", defaultValue = "10000")
  int batch;

  @Scheduled(every = "${tellonce.outbox.prune-interval:10m}", delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> scheduled() {
    return prune()
        .onFailure().invoke(e -> LOG.warnf("Could not prune the outbox: %s", e.getClass().getSimpleName()))
        .onFailure().recoverWithNull().replaceWithVoid();
  }

  /** Removes every row sent before the retention, a batch per statement; answers how many. */
  public Uni<Long> prune() {
    return Retention.deleteBefore(pool, PRUNE, OffsetDateTime.now(ZoneOffset.UTC).minus(keepSent), batch,
        registry.counter("tellonce.outbox.pruned"));
  }
}
