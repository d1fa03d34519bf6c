package org.tellonce.referral.sla;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jboss.logging.Logger;
import org.tellonce.platform.persistence.SessionSql;
import org.tellonce.referral.referral.ReferralEntity;
import org.tellonce.referral.referral.ReferralEvents;
import org.tellonce.referral.routing.Routing;
import org.tellonce.referral.routing.RoutingRules;

/**
 * Escalates referrals whose clock has run out: every second it takes the clocks whose next step is due (oldest
 * first, in batches, each claimed with {@code FOR UPDATE SKIP LOCKED} so replicas share the work and no step is taken
 * twice) and, in the same transaction, publishes the step and schedules the next one. The first step of a clock is its
 * breach. Nothing is kept in memory: a restart carries on where the database says.
 */
@ApplicationScoped
public class SlaSweeper {

  private static final Logger LOG = Logger.getLogger(SlaSweeper.class);
  static final int BATCH = 200;

  @Inject Routing routing;
  @Inject ReferralEvents events;
  @Inject MeterRegistry registry;

  @Scheduled(every = "${tellonce.sla.sweep-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> scheduled() {
    return sweep().onFailure().invoke(e -> LOG.warnf("SLA sweep failed, retried next time: %s", e.getMessage()))
        .onFailure().recoverWithNull().replaceWithVoid();
  }

  /** Takes every step that is due now, batch after batch; answers how many were taken. */
  public Uni<Integer> sweep() {
    return batch().chain(taken -> taken < BATCH ? Uni.createFrom().item(taken)
        : sweep().map(more -> taken + more));
  }

  Uni<Integer> batch() {
    return Panache.withTransaction(() -> Panache.getSession().chain(session -> SessionSql.rows(session, """
            select referral_id, kind, due_at, rule, level from referral_deadline
            where next_at <= now() order by next_at limit $1 for update skip locked""", BATCH)
        .chain(rows -> {
          Uni<Void> chain = Uni.createFrom().voidItem();
          for (Object[] row : rows) {
            chain = chain.chain(() -> escalate(session, (String) row[0], (String) row[1], Deadlines.time(row[2]),
                (String) row[3], ((Number) row[4]).intValue()));
          }
          return chain.replaceWith(rows.size());
        })));
  }

  private Uni<Void> escalate(org.hibernate.reactive.mutiny.Mutiny.Session session, String referralId, String kind,
      OffsetDateTime due, String ruleId, int level) {
    RoutingRules rules = routing.snapshot().rules();
    List<RoutingRules.EscalationStep> steps = rules.escalation(rules.rule(ruleId));
    Instant now = Instant.now();
    OffsetDateTime next = level + 1 < steps.size() ? due.plus(steps.get(level + 1).after()) : null;
    RoutingRules.EscalationStep step = steps.get(Math.min(level, steps.size() - 1));
    return session.find(ReferralEntity.class, referralId).chain(referral -> session.createNativeQuery("""
            update referral_deadline set level = :level, next_at = :next,
              breached_at = coalesce(breached_at, :now)
            where referral_id = :id and kind = :kind""")
        .setParameter("level", level + 1)
        .setParameter("next", next)
        .setParameter("now", now.atOffset(ZoneOffset.UTC))
        .setParameter("id", referralId)
        .setParameter("kind", kind)
        .executeUpdate()
        .chain(() -> {
          if (level == 0) {
            registry.counter("tellonce.referral.sla.breaches", "clock", kind).increment();
          }
          registry.counter("tellonce.referral.escalations", "clock", kind, "to", step.to()).increment();
          registry.timer("tellonce.referral.escalation.delay", "clock", kind)
              .record(java.time.Duration.between(due.plus(step.after()).toInstant(), now));
          return events.escalated(referral, kind, due, level + 1, step.to());
        }));
  }
}
