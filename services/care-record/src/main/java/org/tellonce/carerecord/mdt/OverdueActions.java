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
 * MDT actions in the shared record, counted by the organisation that recorded them (re-counted every 30 s): those
 * overdue — Tasks whose due date ({@code restriction.period.end}) has passed while they are still open — as the gauge
 * {@code tellonce_record_tasks_overdue{organization}}, and all of them as {@code tellonce_record_tasks{organization,
 * state}} with state {@code open} or {@code completed} (the partnership's MDT action completion). The actions
 * themselves are found with {@code GET /fhir/Task?patient=…&due=lt…&status:not=completed}, through the consent gate
 * like every read.
 */
@ApplicationScoped
public class OverdueActions {

  private static final Logger LOG = Logger.getLogger(OverdueActions.class);

  /** Task statuses after which an action is no longer owed. */
  public static final String CLOSED = "'completed', 'cancelled', 'rejected', 'failed', 'entered-in-error'";

  @Inject Pool pool;
  @Inject MeterRegistry registry;

  static final String TASKS = "tellonce.record.tasks";
  static final String OVERDUE = "tellonce.record.tasks.overdue";

  /** One gauge: its name and tags. */
  record Series(String name, Tags tags) {}

  private final Map<Series, AtomicLong> gauges = new ConcurrentHashMap<>();

  @Scheduled(every = "${tellonce.metrics.overdue-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> count() {
    return pool.query("""
            select coalesce(r.source_org, 'unknown') as organization,
              count(*) filter (where not coalesce(st.closed, false)) as open,
              count(*) filter (where not coalesce(st.closed, false) and coalesce(due.passed, false)) as overdue,
              count(*) filter (where coalesce(st.completed, false)) as completed
            from record_resource r
            left join lateral (select bool_or(s.code in (%s)) as closed, bool_or(s.code = 'completed') as completed
                               from record_index s where s.resource_type = 'Task' and s.id = r.id
                                 and s.param = 'status') st on true
            left join lateral (select bool_or(d.high < now()) as passed
                               from record_index d where d.resource_type = 'Task' and d.id = r.id
                                 and d.param = 'due') due on true
            where r.resource_type = 'Task' and not r.deleted
            group by 1""".formatted(CLOSED)).execute()
        .invoke(rows -> {
          Map<Series, Long> now = new HashMap<>();
          for (Row row : rows) {
            String organization = row.getString("organization");
            now.put(new Series(OVERDUE, Tags.of("organization", organization)), row.getLong("overdue"));
            for (String state : new String[] {"open", "completed"}) {
              now.put(new Series(TASKS, Tags.of("organization", organization, "state", state)), row.getLong(state));
            }
          }
          // organisations with none any more go back to 0
          gauges.forEach((series, gauge) -> gauge.set(now.getOrDefault(series, 0L)));
          now.forEach((series, value) -> gauges.computeIfAbsent(series,
              s -> registry.gauge(s.name(), s.tags(), new AtomicLong())).set(value));
        })
        .onFailure().invoke(e -> LOG.warnf("Could not count MDT actions: %s", e.getMessage()))
        .onFailure().recoverWithNull().replaceWithVoid();
  }
}
