package org.tellonce.referral.sla;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.tellonce.platform.persistence.SessionSql;
import org.tellonce.referral.routing.Deadline;
import org.tellonce.referral.routing.RoutingRules;
import org.tellonce.referral.routing.RuleBook;
import org.tellonce.referral.routing.Routing;

/**
 * The clocks of referrals, stored with the referral so they survive restarts: the receiver's response (from routing
 * or redirect until accepted) and, for a discharge, the follow-up (from discharge until first contact). Each clock's
 * deadline comes from the rule that routed the referral (else the defaults), in working days where the rule says so;
 * past it, the sweeper escalates along the rule's route. Call these inside the transaction that makes the move.
 */
@ApplicationScoped
public class Deadlines {

  public static final String RESPONSE = "response";
  public static final String FOLLOW_UP = "follow-up";

  /** One clock as the plain API shows it. */
  public record Clock(String kind, OffsetDateTime startedAt, OffsetDateTime dueAt, OffsetDateTime breachedAt,
      OffsetDateTime metAt, int escalations) {}

  @Inject Routing routing;
  @Inject io.micrometer.core.instrument.MeterRegistry registry;

  /** The rule id in a routing tag ({@code v3:crisis}, {@code v3:crisis:fallback}), or null for none. */
  public static String ruleOf(String routingRule) {
    if (routingRule == null) {
      return null;
    }
    String[] parts = routingRule.split(":");
    return parts.length >= 2 ? parts[1] : null;
  }

  /** Starts a clock, or starts it again from {@code from} (a redirect, a new discharge date). */
  public Uni<Instant> start(String referralId, String kind, Instant from, String routingRule, String priority) {
    RuleBook.Snapshot snapshot = routing.snapshot();
    RoutingRules rules = snapshot.rules();
    RoutingRules.Rule rule = rules.rule(ruleOf(routingRule));
    Deadline within = FOLLOW_UP.equals(kind) ? rules.followUp(rule) : rules.deadline(rule, priority);
    Instant due = snapshot.calendar().deadline(from, within);
    List<RoutingRules.EscalationStep> steps = rules.escalation(rule);
    Instant next = due.plus(steps.get(0).after());
    return Panache.getSession().chain(session -> session.createNativeQuery("""
            insert into referral_deadline (referral_id, kind, started_at, due_at, rule, level, next_at)
            values (:id, :kind, :started, :due, :rule, 0, :next)
            on conflict (referral_id, kind) do update set started_at = excluded.started_at, due_at = excluded.due_at,
              rule = excluded.rule, level = 0, next_at = excluded.next_at, breached_at = null, met_at = null""")
        .setParameter("id", referralId)
        .setParameter("kind", kind)
        .setParameter("started", from.atOffset(ZoneOffset.UTC))
        .setParameter("due", due.atOffset(ZoneOffset.UTC))
        .setParameter("rule", rule == null ? "" : rule.id())
        .setParameter("next", next.atOffset(ZoneOffset.UTC))
        .executeUpdate()).replaceWith(due);
  }

  /**
   * Stops clocks that are still running: met at {@code at} (late, if past the deadline). Each is timed from its start
   * as {@code tellonce_referral_response_seconds{clock, outcome=on-time|late}}: the partnership's response times
   * against their SLAs.
   */
  public Uni<Void> stop(String referralId, List<String> kinds, Instant at) {
    return Panache.getSession().chain(session -> session.createNativeQuery("""
            select kind, started_at, due_at from referral_deadline
            where referral_id = :id and kind in (:kinds) and met_at is null for update""", Object[].class)
        .setParameter("id", referralId)
        .setParameter("kinds", kinds)
        .getResultList()
        .chain(running -> session.createNativeQuery("""
                update referral_deadline set met_at = :at, next_at = null
                where referral_id = :id and kind in (:kinds) and met_at is null""")
            .setParameter("at", at.atOffset(ZoneOffset.UTC))
            .setParameter("id", referralId)
            .setParameter("kinds", kinds)
            .executeUpdate()
            .invoke(() -> running.forEach(clock -> responded((String) clock[0], time(clock[1]).toInstant(),
                time(clock[2]).toInstant(), at)))))
        .replaceWithVoid();
  }

  private void responded(String kind, Instant started, Instant due, Instant at) {
    io.micrometer.core.instrument.Timer.builder("tellonce.referral.response")
        .description("Time from a referral's clock starting to its being met, by clock and whether within the SLA")
        .tags("clock", kind, "outcome", at.isAfter(due) ? "late" : "on-time")
        .publishPercentileHistogram()
        .minimumExpectedValue(java.time.Duration.ofMinutes(1))
        .maximumExpectedValue(java.time.Duration.ofDays(60))
        .register(registry)
        .record(java.time.Duration.between(started, at));
  }

  /** The clocks of a referral. */
  public Uni<List<Clock>> of(String referralId) {
    return Panache.getSession().chain(session -> SessionSql.rows(session, """
            select kind, started_at, due_at, breached_at, met_at, level from referral_deadline
            where referral_id = $1 order by kind""", referralId))
        .map(rows -> rows.stream().map(row -> new Clock((String) row[0], time(row[1]), time(row[2]), time(row[3]),
            time(row[4]), ((Number) row[5]).intValue())).toList());
  }

  static OffsetDateTime time(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof OffsetDateTime time) {
      return time;
    }
    if (value instanceof Instant instant) {
      return instant.atOffset(ZoneOffset.UTC);
    }
    if (value instanceof java.time.LocalDateTime local) {
      return local.atOffset(ZoneOffset.UTC);
    }
    return OffsetDateTime.parse(value.toString());
  }
}
