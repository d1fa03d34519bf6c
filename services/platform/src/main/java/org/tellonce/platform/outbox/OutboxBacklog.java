package org.tellonce.platform.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outbox backlog as Prometheus gauges: events written but not yet acknowledged by Kafka
 * ({@code tellonce_outbox_backlog}) and the age of the oldest of them in seconds ({@code tellonce_outbox_oldest_seconds}).
 * A backlog that grows, or an oldest event that ages, means the relay cannot reach Kafka: alert on it.
 */
@Startup
@ApplicationScoped
public class OutboxBacklog {

  private static final String MEASURE = "select count(*) as events,"
      + " coalesce(extract(epoch from now() - min(occurred_at)), 0)::bigint as oldest"
      + " from outbox where sent_at is null";

  @Inject Pool pool;
  @Inject MeterRegistry registry;

  private final AtomicLong events = new AtomicLong();
  private final AtomicLong oldestSeconds = new AtomicLong();

  @PostConstruct
  void register() {
    Gauge.builder("tellonce.outbox.backlog", events, AtomicLong::get)
        .description("Events written to the outbox and not yet acknowledged by Kafka").register(registry);
    Gauge.builder("tellonce.outbox.oldest.seconds", oldestSeconds, AtomicLong::get)
        .description("Age of the oldest event waiting in the outbox").register(registry);
  }

  @Scheduled(every = "${tellonce.outbox.backlog-interval:15s}", delayed = "2s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> measure() {
    return pool.query(MEASURE).execute()
        .invoke(rows -> {
          Row row = rows.iterator().next();
          events.set(row.getLong("events"));
          oldestSeconds.set(row.getLong("oldest"));
        })
        .onFailure().recoverWithNull()
        .replaceWithVoid();
  }
}
