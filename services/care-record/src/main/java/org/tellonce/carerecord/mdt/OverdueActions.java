package org.tellonce.carerecord.mdt;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * MDT actions that are overdue: Tasks in the shared record whose due date ({@code restriction.period.end}) has passed
 * while they are still open, counted by the organisation that recorded them, as the gauge
 * {@code tellonce_record_tasks_overdue{organization}} (re-counted every 30 s). The actions themselves are found with
 * {@code GET /fhir/Task?patient=…&due=lt…&status:not=completed}, through the consent gate like every read.
 */
@ApplicationScoped
public class OverdueActions {

  private static final Logger LOG = Logger.getLogger(OverdueActions.class);

  /** Task statuses after which an action is no longer owed. */
  static final String CLOSED = "'completed', 'cancelled', 'rejected', 'failed', 'entered-in-error'";

  @Inject Pool pool;
  @Inject MeterRegistry registry;

  private final Map<String, AtomicLong> byOrganization = new ConcurrentHashMap<>();

  @Scheduled(every = "${tellonce.metrics.overdue-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> count() {
    return pool.query("""
            select coalesce(r.source_org, 'unknown') as organization, count(*) as overdue
            from record_resource r
            join record_index due on due.resource_type = 'Task' and due.id = r.id and due.param = 'due'
            where r.resource_type = 'Task' and not r.deleted and due.high < now()
              and not exists (select 1 from record_index s where s.resource_type = 'Task' and s.id = r.id
                and s.param = 'status' and s.code in (%s))
            group by 1""".formatted(CLOSED)).execute()
        .invoke(rows -> {
          Map<String, Long> now = new HashMap<>();
          for (Row row : rows) {
            now.put(row.getString("organization"), row.getLong("overdue"));
          }
          // organisations with none overdue any more go back to 0
          byOrganization.forEach((organization, gauge) -> gauge.set(now.getOrDefault(organization, 0L)));
          now.forEach((organization, overdue) -> byOrganization.computeIfAbsent(organization,
              o -> registry.gauge("tellonce.record.tasks.overdue", Tags.of("organization", o), new AtomicLong()))
              .set(overdue));
        })
        .onFailure().invoke(e -> LOG.warnf("Could not count overdue MDT actions: %s", e.getMessage()))
        .onFailure().recoverWithNull().replaceWithVoid();
  }
}
