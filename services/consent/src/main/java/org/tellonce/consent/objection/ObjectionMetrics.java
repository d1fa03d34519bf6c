package org.tellonce.consent.objection;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Active objections by how they stand — pending review, upheld, overridden — as the gauge
 * {@code tellonce_consent_objections{status}}, re-counted from the database every 30 s (so every replica reports the
 * same numbers) with the review queue's own rule ({@link ObjectionService#STATUS}).
 */
@ApplicationScoped
public class ObjectionMetrics {

  private static final Logger LOG = Logger.getLogger(ObjectionMetrics.class);

  @Inject Pool pool;
  @Inject MeterRegistry registry;

  private final Map<String, AtomicLong> byStatus = new ConcurrentHashMap<>();

  void register(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent started) {
    for (String status : ObjectionService.STATUSES) {
      gauge(status);
    }
  }

  private AtomicLong gauge(String status) {
    return byStatus.computeIfAbsent(status,
        s -> registry.gauge("tellonce.consent.objections", Tags.of("status", s), new AtomicLong()));
  }

  @Scheduled(every = "${tellonce.metrics.objections-interval:30s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> count() {
    return pool.query("""
            select %s as status, count(*) as objections
            from consent_record c %s
            where c.objection and c.status = 'active'
            group by 1""".formatted(ObjectionService.STATUS, ObjectionService.LATEST_REVIEW)).execute()
        .invoke(rows -> {
          Map<String, Long> now = new java.util.HashMap<>();
          for (Row row : rows) {
            now.put(row.getString("status"), row.getLong("objections"));
          }
          ObjectionService.STATUSES.forEach(status -> gauge(status).set(now.getOrDefault(status, 0L)));
        })
        .onFailure().invoke(e -> LOG.warnf("Could not count objections: %s", e.getClass().getSimpleName()))
        .onFailure().recoverWithNull().replaceWithVoid();
  }
}
