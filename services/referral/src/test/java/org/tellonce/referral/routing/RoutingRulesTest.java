package org.tellonce.referral.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingRulesTest {

  static final Path SHIPPED = Path.of("../../deploy/routing");
  static final Set<String> LOCALITIES = Set.of("riverside-north", "hillside");

  static final String VALID = """
      version: 4
      singlePointOfAccess: {organization: LA001}
      defaults:
        sla: {stat: PT1H, asap: PT1H, urgent: PT4H, routine: 5 working days}
        escalation: [{after: PT0S, to: team-manager}, {after: PT2H, to: service-lead}]
      rules:
        - id: crisis
          match: {categories: [crisis], localities: [hillside], ages: {min: 18}}
          route: {serviceCategory: crisis, fallback: MHT01}
          sla: {urgent: PT1H}
      """;

  @Test
  void theShippedRulesLocalitiesAndBankHolidaysAreValid() throws Exception {
    RuleBook.Snapshot snapshot = RuleBook.read(SHIPPED, null);
    assertThat(snapshot.rules().singlePointOfAccess()).isEqualTo("LA001");
    assertThat(snapshot.rules().rules()).extracting(RoutingRules.Rule::id).contains("crisis", "discharge-follow-up");
    assertThat(snapshot.localities().of("rv1")).isEqualTo("riverside-north");
    RoutingRules.Rule discharge = snapshot.rules().rule("discharge-follow-up");
    assertThat(snapshot.rules().followUp(discharge).toString()).isEqualTo("PT72H");
    assertThat(snapshot.rules().deadline(discharge, "routine").toString()).isEqualTo("1 working day");
    assertThat(snapshot.rules().followUp(null)).isEqualTo(RoutingRules.FOLLOW_UP);
  }

  @Test
  void readsARuleWithItsOwnResponseTimesOverTheDefaults() throws Exception {
    RoutingRules rules = RoutingRules.parse(VALID, LOCALITIES);
    RoutingRules.Rule crisis = rules.rules().get(0);
    assertThat(rules.deadline(crisis, "urgent")).isEqualTo(new Deadline.Elapsed(java.time.Duration.ofHours(1)));
    assertThat(rules.deadline(crisis, "routine")).isEqualTo(new Deadline.WorkingDays(5));
    assertThat(rules.escalation(crisis)).extracting(RoutingRules.EscalationStep::to)
        .containsExactly("team-manager", "service-lead");
    assertThat(crisis.match().minAge()).isEqualTo(18);
  }

  @Test
  void reportsEveryProblemWithWhereItIs() {
    String broken = """
        version: 0
        singlePointOfAccess: {organisation: LA001}
        defaults:
          sla: {stat: PT1H, asap: soon, urgent: PT4H}
          escalation: [{after: PT2H, to: team-manager}, {after: PT1H, to: the-boss}]
        rules:
          - id: crisis
            match: {categories: [crisiss], localities: [atlantis], ages: {min: 70, max: 18}}
            route: {serviceCategory: crisis, organization: MHT01}
          - id: crisis
            match: {priority: [urgent]}
            route: {organization: X}
        """;
    assertThatThrownBy(() -> RoutingRules.parse(broken, LOCALITIES))
        .isInstanceOfSatisfying(RoutingRules.Invalid.class, invalid -> assertThat(invalid.problems()).contains(
            "version: a whole number above 0, raised with every change",
            "singlePointOfAccess.organisation: unknown key; the keys here are [name, organization]",
            "defaults.sla.asap: 'soon' is not a response time (PT4H, P2D or '5 working days')",
            "defaults.sla.routine: every priority needs a default response time",
            "defaults.escalation[1].after: each step comes later than the one before (and none before the deadline)",
            "defaults.escalation[1].to: one of [team-manager, service-lead, ics-on-call]",
            "rules[0] (crisis).match.localities: 'atlantis' is not known; one of [hillside, riverside-north]",
            "rules[0] (crisis).match.ages: min 70 is above max 18",
            "rules[0] (crisis).route: give either serviceCategory (a team from the directory) or organization, not both",
            "rules[1].id: 'crisis' is used by an earlier rule",
            "rules[1] (crisis).match.priority: unknown key; the keys here are [ages, categories, localities,"
                + " priorities, reasons]",
            "rules[1] (crisis).route.organization: an ODS or council organisation code (3 to 12 letters and digits)")
            .anyMatch(p -> p.startsWith("rules[0] (crisis).match.categories: 'crisiss' is not known")));
  }

  @Test
  void notYamlIsOneClearProblem() {
    assertThatThrownBy(() -> RoutingRules.parse("version: [1\n", LOCALITIES))
        .isInstanceOfSatisfying(RoutingRules.Invalid.class,
            invalid -> assertThat(invalid.problems()).singleElement().asString().startsWith("not readable as YAML"));
  }

  @Test
  void aChangedFolderIsTakenWholeOnlyWhenValidAndItsVersionWasRaised(@TempDir Path folder) throws Exception {
    for (String name : new String[] {"localities.csv", "bank-holidays.txt"}) {
      Files.copy(SHIPPED.resolve(name), folder.resolve(name));
    }
    Files.writeString(folder.resolve("rules.yaml"), VALID.replace("[hillside]", "[riverside-north]"));
    RuleBook book = new RuleBook();
    book.folder = folder.toString();
    book.load();
    assertThat(book.current().rules().version()).isEqualTo(4);
    assertThat(book.reload()).isFalse();

    // the same version with other content: refused, the rules in force stay
    Files.writeString(folder.resolve("rules.yaml"), VALID.replace("PT4H", "PT3H").replace("[hillside]",
        "[riverside-north]"));
    assertThat(book.reload()).isFalse();
    assertThat(book.status().version()).isEqualTo(4);
    assertThat(book.status().rejected()).singleElement().asString().contains("raise the version");

    // a broken locality file refuses the whole change
    Files.writeString(folder.resolve("rules.yaml"), VALID.replace("version: 4", "version: 5")
        .replace("[hillside]", "[riverside-north]"));
    Files.writeString(folder.resolve("localities.csv"), "RV1,riverside-north\nnot a line\n");
    assertThat(book.reload()).isFalse();
    assertThat(book.status().rejected()).singleElement().asString().startsWith("localities.csv line 2");
    assertThat(book.current().rules().version()).isEqualTo(4);

    Files.copy(SHIPPED.resolve("localities.csv"), folder.resolve("localities.csv"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(book.reload()).isTrue();
    assertThat(book.current().rules().version()).isEqualTo(5);
    assertThat(book.status().rejected()).isEmpty();
  }

  @Test
  void theServiceDoesNotStartWithoutValidRules(@TempDir Path folder) {
    RuleBook book = new RuleBook();
    book.folder = folder.toString();
    assertThatThrownBy(book::load).isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot read");
  }
}
