package org.tellonce.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.tellonce.referral.routing.Router;
import org.tellonce.referral.routing.RoutingRules;
import org.tellonce.referral.routing.Team;

/**
 * One routing decision in-process (JMH, sampled for percentiles): 500 rules over 12 categories, 20 localities, age
 * bands and priorities, and 200 teams (some closed, some full, each covering a few localities). {@code lateMatch}
 * matches rule 481 of 500 (every earlier rule tried first) and chooses among the teams of its category; {@code
 * earlyMatch} matches within the first rules; {@code explain} is the late match keeping the whole trace, as
 * {@code POST /routing/explain} does. Goal: p99 at most 2 ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RoutingBench {

  static final List<String> CATEGORIES = List.of("community-mental-health", "crisis", "social-care-assessment",
      "carer-support", "housing", "social-prescribing", "substance-use", "discharge-follow-up", "primary-care",
      "wellbeing", "mental-health", "social-care");
  static final int RULES = 500;
  static final int TEAMS = 200;
  static final int LOCALITIES = 20;
  static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

  final RoutingRules rules = rules();
  final List<Team> teams = teams();
  // matches only rule 481: housing (category 4) in loc-1, aged 40, urgent
  final Router.Facts late = new Router.Facts(Set.of("housing"), "urgent", "loc-1", 40, Set.of());
  final Router.Facts early = new Router.Facts(Set.of("crisis"), "urgent", "loc-1", 40, Set.of());

  static RoutingRules rules() {
    StringBuilder yaml = new StringBuilder("""
        version: 1
        singlePointOfAccess: {organization: SPA01}
        defaults:
          sla: {stat: PT1H, asap: PT1H, urgent: PT4H, routine: 5 working days}
          escalation: [{after: PT0S, to: team-manager}, {after: PT2H, to: service-lead}, {after: PT4H, to: ics-on-call}]
        rules:
        """);
    for (int i = 0; i < RULES; i++) {
      String category = CATEGORIES.get(i % CATEGORIES.size());
      // before rule 481, a housing rule never fits the late facts (other localities, or children only)
      String locality = "loc-" + (category.equals("housing") && i < 481 ? 2 + i % (LOCALITIES - 2) : i % LOCALITIES);
      String ages = category.equals("housing") && i < 481 && i % 2 == 0 ? "{max: 17}" : "{min: 18, max: 64}";
      if (i == 481) {
        category = "housing";
        locality = "loc-1";
        ages = "{min: 18}";
      }
      yaml.append("  - id: rule-").append(i).append('\n')
          .append("    match: {categories: [").append(category).append("], localities: [").append(locality)
          .append(", loc-").append((i + 7) % LOCALITIES).append("], ages: ").append(ages)
          .append(", priorities: [urgent, asap]}\n")
          .append("    route: {serviceCategory: ").append(category).append(", prefer: capacity, fallback: ORG")
          .append(i % 50).append("}\n");
    }
    Set<String> localities = new LinkedHashSet<>();
    for (int l = 0; l < LOCALITIES; l++) {
      localities.add("loc-" + l);
    }
    try {
      return RoutingRules.parse(yaml.toString(), localities);
    } catch (RoutingRules.Invalid e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Team> teams() {
    List<Team> teams = new ArrayList<>();
    for (int t = 0; t < TEAMS; t++) {
      String category = CATEGORIES.get(t % CATEGORIES.size());
      Set<String> covers = new LinkedHashSet<>(List.of("loc-" + t % LOCALITIES, "loc-" + (t + 3) % LOCALITIES, "loc-1"));
      List<Team.Closure> closed = t % 17 == 0
          ? List.of(new Team.Closure(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-31T00:00:00Z")))
          : List.of();
      teams.add(new Team("team-" + t, "Team " + t, "ORG" + t % 50, t % 23 != 0, Set.of(category), covers,
          t % 5 == 0 ? null : 20 + t % 30, closed, t % 7 == 0 ? 60 : t % 20));
    }
    return List.copyOf(teams);
  }

  @Benchmark
  public Router.Decision lateMatch() {
    return Router.route(rules, late, teams, NOW, false);
  }

  @Benchmark
  public Router.Decision earlyMatch() {
    return Router.route(rules, early, teams, NOW, false);
  }

  @Benchmark
  public Router.Decision explain() {
    return Router.route(rules, late, teams, NOW, true);
  }
}
