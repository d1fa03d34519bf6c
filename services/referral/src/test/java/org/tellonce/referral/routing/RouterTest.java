package org.tellonce.referral.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {

  static final Set<String> LOCALITIES = Set.of("riverside-north", "riverside-south", "hillside");
  static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

  static final RoutingRules RULES;

  static {
    try {
      RULES = RoutingRules.parse("""
          version: 7
          singlePointOfAccess: {organization: LA001}
          defaults:
            sla: {stat: PT1H, asap: PT1H, urgent: PT4H, routine: 5 working days}
            escalation: [{after: PT0S, to: team-manager}]
          rules:
            - id: crisis
              match: {categories: [crisis]}
              route: {serviceCategory: crisis, fallback: MHT01}
            - id: adults
              match: {categories: [community-mental-health], ages: {min: 18}}
              route: {serviceCategory: community-mental-health, prefer: first}
            - id: mental-health
              match: {categories: [community-mental-health]}
              route: {organization: MHT01}
            - id: hillside-housing
              match: {categories: [housing], localities: [hillside], priorities: [urgent, asap]}
              route: {organization: HSG01}
          """, LOCALITIES);
    } catch (RoutingRules.Invalid e) {
      throw new IllegalStateException(e);
    }
  }

  static Team team(String id, String org, String category, Set<String> localities, Integer capacity, int open) {
    return new Team(id, "Team " + id, org, true, Set.of(category), localities, capacity, List.of(), open);
  }

  static Router.Facts facts(String category, String locality, Integer age) {
    return new Router.Facts(Set.of(category), "urgent", locality, age, Set.of());
  }

  @Test
  void theTeamWithMostRoomCoveringThePersonTakesIt() {
    List<Team> teams = List.of(
        team("a", "MHT01", "crisis", Set.of("riverside-north"), 10, 9),
        team("b", "MHT02", "crisis", Set.of("riverside-north", "hillside"), 10, 2),
        team("c", "MHT03", "crisis", Set.of("hillside"), 50, 0));
    Router.Decision decision = Router.route(RULES, facts("crisis", "riverside-north", 40), teams, NOW, true);
    assertThat(decision.recipientService()).isEqualTo("b");
    assertThat(decision.recipientOrganization()).isEqualTo("MHT02");
    assertThat(decision.routingRule()).isEqualTo("v7:crisis");
    assertThat(decision.candidates()).extracting(Router.Candidate::service, Router.Candidate::chosen)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("b", true), org.assertj.core.groups.Tuple.tuple("a", false),
            org.assertj.core.groups.Tuple.tuple("c", false));
    assertThat(decision.candidates().get(2).why()).isEqualTo("does not cover the person's locality");
  }

  @Test
  void closedInactiveAndFullTeamsAreSkippedThenTheFallbackTakesIt() {
    List<Team> teams = List.of(
        new Team("closed", "Closed", "MHT01", true, Set.of("crisis"), Set.of(), null,
            List.of(new Team.Closure(Instant.parse("2026-11-20T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"))),
            0),
        new Team("gone", "Gone", "MHT01", false, Set.of("crisis"), Set.of(), null, List.of(), 0),
        team("full", "MHT01", "crisis", Set.of(), 5, 5));
    Router.Decision decision = Router.route(RULES, facts("crisis", null, null), teams, NOW, true);
    assertThat(decision.recipientOrganization()).isEqualTo("MHT01");
    assertThat(decision.recipientService()).isNull();
    assertThat(decision.routingRule()).isEqualTo("v7:crisis:fallback");
    assertThat(decision.candidates()).extracting(Router.Candidate::why).containsExactly(
        "closed until 2026-12-01T00:00:00Z", "inactive", "full (5 open of 5)");
    // once the closure is over, the team is open again
    Router.Decision later = Router.route(RULES, facts("crisis", null, null), teams,
        Instant.parse("2026-12-02T00:00:00Z"), false);
    assertThat(later.recipientService()).isEqualTo("closed");
  }

  @Test
  void aTeamForSomeLocalitiesIsNotChosenWhenThePersonsLocalityIsUnknown() {
    List<Team> teams = List.of(team("north", "MHT01", "crisis", Set.of("riverside-north"), null, 0));
    Router.Decision decision = Router.route(RULES, facts("crisis", null, 30), teams, NOW, true);
    assertThat(decision.recipientService()).isNull();
    assertThat(decision.candidates().get(0).why()).contains("the person's locality is not known");
  }

  @Test
  void rulesAreTriedInOrderAndAnUnknownAgeFallsThroughToTheNextRule() {
    List<Team> teams = List.of(team("z", "MHT05", "community-mental-health", Set.of(), null, 0),
        team("y", "MHT04", "community-mental-health", Set.of(), 1, 0));
    Router.Decision adult = Router.route(RULES, facts("community-mental-health", null, 30), teams, NOW, true);
    assertThat(adult.rule()).isEqualTo("adults");
    assertThat(adult.recipientService()).as("prefer: first takes the first open team by name").isEqualTo("y");
    assertThat(adult.trace()).extracting(Router.Step::rule, Router.Step::matched).containsExactly(
        org.assertj.core.groups.Tuple.tuple("crisis", false), org.assertj.core.groups.Tuple.tuple("adults", true));

    Router.Decision unknownAge = Router.route(RULES, facts("community-mental-health", null, null), teams, NOW, true);
    assertThat(unknownAge.rule()).isEqualTo("mental-health");
    assertThat(unknownAge.recipientOrganization()).isEqualTo("MHT01");
    assertThat(unknownAge.trace().get(1).why()).isEqualTo("the person's age is not known");
    Router.Decision child = Router.route(RULES, facts("community-mental-health", null, 12), teams, NOW, true);
    assertThat(child.rule()).isEqualTo("mental-health");
    assertThat(child.trace().get(1).why()).isEqualTo("the person is under 18");
  }

  @Test
  void priorityAndLocalityNarrowARule() {
    assertThat(Router.route(RULES, facts("housing", "hillside", 50), List.of(), NOW, false).recipientOrganization())
        .isEqualTo("HSG01");
    Router.Decision routine = Router.route(RULES, new Router.Facts(Set.of("housing"), "routine", "hillside", 50,
        Set.of()), List.of(), NOW, true);
    assertThat(routine.recipientOrganization()).isEqualTo("LA001");
    assertThat(routine.trace().get(3).why()).isEqualTo("priority routine is not one of [urgent, asap]");
    assertThat(Router.route(RULES, facts("housing", "riverside-south", 50), List.of(), NOW, true).trace().get(3).why())
        .isEqualTo("the person does not live in [hillside]");
  }

  @Test
  void whatNoRuleMatchesGoesToTheSinglePointOfAccess() {
    Router.Decision decision = Router.route(RULES, facts("dentistry", null, null), List.of(), NOW, false);
    assertThat(decision.recipientOrganization()).isEqualTo("LA001");
    assertThat(decision.routingRule()).isEqualTo("v7:single-point-of-access");
    assertThat(decision.rule()).isNull();
  }
}
