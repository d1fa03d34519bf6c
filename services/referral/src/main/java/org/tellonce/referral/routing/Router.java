package org.tellonce.referral.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.tellonce.referral.routing.RoutingRules.Match;
import org.tellonce.referral.routing.RoutingRules.Rule;

/**
 * Picks where a referral goes: the first rule that matches its facts, then the team of the directory that rule asks
 * for (covering the person's locality, open, not full; the one with most room, or the first by name), else the rule's
 * fallback, else the single point of access. No wrong door: every referral reaches someone. Pure and in memory, so
 * it is fast and the same decision can be explained.
 */
public final class Router {

  /**
   * What routing knows of a referral: the categories asked for, its priority, and (when known) the person's
   * locality and age and the reasons given.
   */
  public record Facts(Set<String> categories, String priority, String locality, Integer age, Set<String> reasons) {}

  /** One rule as tried: whether it matched and, if not, why not. */
  public record Step(String rule, boolean matched, String why) {}

  /** One team the matching rule could use, and whether it was chosen or why it was skipped. */
  public record Candidate(String service, String name, String organization, boolean chosen, String why) {}

  /** Where the referral goes, under which rule, and (when explaining) how that was decided. */
  public record Decision(int rulesVersion, String rule, String recipientOrganization, String recipientService,
      String routingRule, String summary, List<Step> trace, List<Candidate> candidates) {}

  static final String SINGLE_POINT_OF_ACCESS = "single-point-of-access";

  private Router() {}

  /**
   * Routes a referral.
   *
   * @param explain whether to keep the trace of every rule tried and every team considered (for /routing/explain)
   */
  public static Decision route(RoutingRules rules, Facts facts, Collection<Team> teams, Instant now, boolean explain) {
    List<Step> trace = explain ? new ArrayList<>() : null;
    for (Rule rule : rules.rules()) {
      String mismatch = mismatch(rule.match(), facts);
      if (mismatch != null) {
        if (explain) {
          trace.add(new Step(rule.id(), false, mismatch));
        }
        continue;
      }
      if (explain) {
        trace.add(new Step(rule.id(), true, "matched"));
      }
      return routeBy(rules, rule, facts, teams, now, trace);
    }
    return new Decision(rules.version(), null, rules.singlePointOfAccess(), null,
        "v" + rules.version() + ":" + SINGLE_POINT_OF_ACCESS,
        "No rule matched: the single point of access (" + rules.singlePointOfAccess() + ") triages it", trace,
        List.of());
  }

  private static Decision routeBy(RoutingRules rules, Rule rule, Facts facts, Collection<Team> teams, Instant now,
      List<Step> trace) {
    String tag = "v" + rules.version() + ":" + rule.id();
    RoutingRules.Route route = rule.route();
    if (route.organization() != null) {
      return new Decision(rules.version(), rule.id(), route.organization(), null, tag,
          "Rule " + rule.id() + " sends it to " + route.organization(), trace, List.of());
    }
    boolean explain = trace != null;
    List<Candidate> considered = explain ? new ArrayList<>() : null;
    Team best = null;
    for (Team team : teams) {
      if (!team.categories().contains(route.serviceCategory())) {
        continue;
      }
      String skip = skip(route, team, facts, now);
      if (skip != null) {
        if (explain) {
          considered.add(new Candidate(team.id(), team.name(), team.organization(), false, skip));
        }
        continue;
      }
      if (best == null || better(route.prefer(), team, best)) {
        best = team;
      }
    }
    if (best == null) {
      String to = route.fallback() != null ? route.fallback() : rules.singlePointOfAccess();
      return new Decision(rules.version(), rule.id(), to, null, tag + ":fallback",
          "Rule " + rule.id() + " matched but no " + route.serviceCategory() + " team could take it: "
              + (route.fallback() != null ? "its fallback " : "the single point of access ") + to,
          trace, explain ? considered : List.of());
    }
    List<Candidate> candidates = List.of();
    if (explain) {
      Team chosen = best;
      candidates = new ArrayList<>();
      candidates.add(new Candidate(chosen.id(), chosen.name(), chosen.organization(), true,
          "open" + (chosen.room() == null ? ", capacity not limited" : ", room for " + chosen.room())
              + (route.prefer().equals("capacity") ? "; most room of the teams that could take it"
              : "; the first open team by name")));
      for (Team team : teams) {
        if (team != chosen && team.categories().contains(route.serviceCategory())
            && skip(route, team, facts, now) == null) {
          candidates.add(new Candidate(team.id(), team.name(), team.organization(), false,
              "could take it; " + (team.room() == null ? "capacity not limited" : "room for " + team.room())));
        }
      }
      candidates.addAll(considered);
    }
    return new Decision(rules.version(), rule.id(), best.organization(), best.id(), tag,
        "Rule " + rule.id() + " sends it to " + best.name() + " (" + best.organization() + ")", trace, candidates);
  }

  /** Why a rule does not match the facts, or null when it does. Names the rule's terms, never the person's values. */
  static String mismatch(Match match, Facts facts) {
    if (!match.categories().isEmpty() && match.categories().stream().noneMatch(facts.categories()::contains)) {
      return "asks for none of the categories " + match.categories();
    }
    if (!match.priorities().isEmpty() && !match.priorities().contains(facts.priority())) {
      return "priority " + facts.priority() + " is not one of " + match.priorities();
    }
    if (!match.localities().isEmpty()) {
      if (facts.locality() == null) {
        return "the person's locality is not known";
      }
      if (!match.localities().contains(facts.locality())) {
        return "the person does not live in " + match.localities();
      }
    }
    if (match.minAge() != null || match.maxAge() != null) {
      if (facts.age() == null) {
        return "the person's age is not known";
      }
      if (match.minAge() != null && facts.age() < match.minAge()) {
        return "the person is under " + match.minAge();
      }
      if (match.maxAge() != null && facts.age() > match.maxAge()) {
        return "the person is over " + match.maxAge();
      }
    }
    if (!match.reasons().isEmpty() && match.reasons().stream().noneMatch(facts.reasons()::contains)) {
      return "gives none of the reasons " + match.reasons();
    }
    return null;
  }

  /** Why a team cannot take the referral now, or null when it can. */
  static String skip(RoutingRules.Route route, Team team, Facts facts, Instant now) {
    if (!route.organizations().isEmpty() && !route.organizations().contains(team.organization())) {
      return "not one of the rule's organisations " + route.organizations();
    }
    if (!team.active()) {
      return "inactive";
    }
    Team.Closure closed = team.closedAt(now);
    if (closed != null) {
      return "closed" + (closed.end() == null ? " until further notice" : " until " + closed.end());
    }
    if (!team.localities().isEmpty()) {
      if (facts.locality() == null) {
        return "covers " + team.localities() + " and the person's locality is not known";
      }
      if (!team.localities().contains(facts.locality())) {
        return "does not cover the person's locality";
      }
    }
    if (team.capacity() != null && team.open() >= team.capacity()) {
      return "full (" + team.open() + " open of " + team.capacity() + ")";
    }
    return null;
  }

  private static final Comparator<Team> BY_NAME = Comparator.comparing(Team::name).thenComparing(Team::id);

  private static boolean better(String prefer, Team team, Team best) {
    if (prefer.equals("capacity")) {
      long room = team.room() == null ? Long.MAX_VALUE : team.room();
      long bestRoom = best.room() == null ? Long.MAX_VALUE : best.room();
      if (room != bestRoom) {
        return room > bestRoom;
      }
    }
    return BY_NAME.compare(team, best) < 0;
  }
}
