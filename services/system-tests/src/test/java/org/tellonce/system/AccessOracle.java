package org.tellonce.system;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the sharing policy allows, computed from the policy as written (docs/consent-model.md, "The order of the rules",
 * "Objections", "Sensitive labels") and from the facts the access matrix set up — independently of the consent
 * service's code. The matrix holds the services to it: a disclosure beyond it is a leak, a denial it permits a fault.
 * Covers what the matrix's population uses: care teams, the person's Consents (nested provisions by organisation,
 * purpose, resource type and label; objections pending, upheld, overridden and withdrawn), data-sharing agreements, the
 * sensitivity policy and a restricted person. Not modelled (so not used by the matrix): break-glass, referrals, open
 * encounters and cases as relationships, the National Data Opt-out, representatives' authority.
 */
final class AccessOracle {

  static final Set<String> DIRECT_CARE = Set.of("TREAT", "ETREAT", "CAREMGT", "COC");

  /** The sensitivity policy's table: each sensitive label and the roles that see it on implied consent. */
  static final Map<String, Set<String>> SENSITIVE = Map.ofEntries(
      Map.entry("R", Set.of("clinician")), Map.entry("V", Set.of()),
      Map.entry("PSY", Set.of("clinician")), Map.entry("ETH", Set.of("clinician")),
      Map.entry("SDV", Set.of("clinician")), Map.entry("HIV", Set.of("clinician")),
      Map.entry("STD", Set.of("clinician")), Map.entry("SEX", Set.of("clinician")),
      Map.entry("SOC", Set.of("clinician", "social-worker")),
      Map.entry("safeguarding", Set.of("clinician", "social-worker")),
      Map.entry("third-party", Set.of("clinician", "social-worker")),
      Map.entry("sexual-health", Set.of("clinician")), Map.entry("gender-history", Set.of()),
      Map.entry("fertility", Set.of()));

  /** Elements withheld when a label's data is shared on implied consent. */
  static final Map<String, Set<String>> REDACT_ON_IMPLIED_CONSENT = Map.of("third-party", Set.of("note", "text"));

  /** Contact details withheld from everyone but the organisation that recorded a person's restriction. */
  static final String CONTACT_DETAILS = "contact-details";

  /** A Consent provision: an empty condition matches everything; nested provisions are exceptions to it. */
  record Provision(boolean permit, Set<String> organizations, Set<String> purposes, Set<String> types,
      Set<String> labels, List<Provision> exceptions) {

    static Provision of(boolean permit, Set<String> organizations, Set<String> purposes, Set<String> types,
        Set<String> labels, Provision... exceptions) {
      return new Provision(permit, organizations, purposes, types, labels, List.of(exceptions));
    }

    boolean applies(String organization, String purpose, Item item) {
      return (organizations.isEmpty() || organizations.contains(organization))
          && (purposes.isEmpty() || purposes.contains(purpose))
          && (types.isEmpty() || types.contains(item.type()))
          && (labels.isEmpty() || item.labels().stream().anyMatch(labels::contains));
    }
  }

  /** How an objection's review stands; a Consent that is not an objection has none. */
  enum Review { PENDING, UPHELD, OVERRIDDEN }

  record Consent(String label, boolean active, Provision root, Review review) {}

  record Agreement(Set<String> parties, Set<String> purposes, Set<String> dataClasses, boolean active,
      LocalDate start, LocalDate end) {

    boolean covers(String organization, String purpose, String type, LocalDate day) {
      return active && parties.contains(organization) && purposes.contains(purpose)
          && (dataClasses.contains("*") || dataClasses.contains(type))
          && (start == null || !day.isBefore(start)) && (end == null || !day.isAfter(end));
    }
  }

  /** A person: who is in their care team, who recorded their restriction (null: not restricted), their Consents. */
  record Person(String id, Set<String> careTeam, String restrictedBy, List<Consent> consents) {}

  record Actor(String user, String organization, Set<String> roles) {}

  record Item(String type, Set<String> labels) {}

  /** PERMIT or DENY, the rule that decided, and what a permit withholds (elements, or contact details). */
  record Decision(boolean permit, String rule, Set<String> withheld) {
    static Decision deny(String rule) {
      return new Decision(false, rule, Set.of());
    }
  }

  private final List<Agreement> agreements;

  AccessOracle(List<Agreement> agreements) {
    this.agreements = List.copyOf(agreements);
  }

  private record Match(int depth, Provision provision, Consent consent) {}

  Decision decide(Person person, Actor actor, String purpose, Item item, LocalDate day) {
    Decision decision = rules(person, actor, purpose, item, day);
    if (decision.permit() && person.restrictedBy() != null
        && !person.restrictedBy().equals(actor.organization())) {
      Set<String> withheld = new TreeSet<>(decision.withheld());
      withheld.add(CONTACT_DETAILS);
      return new Decision(true, decision.rule(), withheld);
    }
    return decision;
  }

  private Decision rules(Person person, Actor actor, String purpose, Item item, LocalDate day) {
    String organization = actor.organization();
    if (organization == null) {
      return Decision.deny("policy/no-organisation");
    }
    boolean directCare = DIRECT_CARE.contains(purpose);
    List<Match> matches = new ArrayList<>();
    for (Consent consent : person.consents()) {
      if (consent.active()) {
        collect(consent, consent.root(), 0, organization, purpose, item, directCare, matches);
      }
    }
    int deepest = matches.stream().mapToInt(Match::depth).max().orElse(-1);
    List<Match> best = matches.stream().filter(m -> m.depth() == deepest).toList();
    if (best.stream().anyMatch(m -> !m.provision().permit())) {
      return Decision.deny("Consent/" + best.stream().filter(m -> !m.provision().permit()).findFirst().orElseThrow()
          .consent().label());
    }
    if (!best.isEmpty()) {
      // Implied consent rests on a legitimate relationship: without one, only what the permit names is sensitive data
      // it shares.
      Set<String> named = new TreeSet<>();
      best.forEach(m -> named.addAll(m.provision().labels()));
      for (String label : item.labels()) {
        if (SENSITIVE.containsKey(label) && !named.contains(label)
            && !(person.careTeam().contains(organization) && mayImplied(label, actor))) {
          return Decision.deny("policy/restricted-label");
        }
      }
      return new Decision(true, "Consent/" + best.get(0).consent().label(), Set.of());
    }
    if (!directCare) {
      if (agreements.stream().noneMatch(a -> a.covers(organization, purpose, item.type(), day))) {
        return Decision.deny("policy/explicit-consent-required");
      }
      if (item.labels().stream().anyMatch(SENSITIVE::containsKey)) {
        return Decision.deny("policy/restricted-label");
      }
      return new Decision(true, "policy/agreement-purpose", Set.of());
    }
    if (!person.careTeam().contains(organization)) {
      return Decision.deny("policy/no-legitimate-relationship");
    }
    if (agreements.stream().noneMatch(a -> a.covers(organization, purpose, item.type(), day))) {
      return Decision.deny("policy/no-agreement");
    }
    Set<String> withheld = new TreeSet<>();
    for (String label : item.labels()) {
      if (SENSITIVE.containsKey(label)) {
        if (!mayImplied(label, actor)) {
          return Decision.deny("policy/restricted-label");
        }
        withheld.addAll(REDACT_ON_IMPLIED_CONSENT.getOrDefault(label, Set.of()));
      }
    }
    return new Decision(true, "policy/direct-care", withheld);
  }

  private static boolean mayImplied(String label, Actor actor) {
    return SENSITIVE.get(label).stream().anyMatch(actor.roles()::contains);
  }

  /** The provisions that apply, with their depth; an exception is looked at only where its parent applies. */
  private static void collect(Consent consent, Provision provision, int depth, String organization, String purpose,
      Item item, boolean directCare, List<Match> matches) {
    if (!provision.applies(organization, purpose, item)) {
      return;
    }
    boolean overriddenDenial = !provision.permit() && directCare && consent.review() == Review.OVERRIDDEN;
    if (!overriddenDenial) {
      matches.add(new Match(depth, provision, consent));
    }
    for (Provision exception : provision.exceptions()) {
      collect(consent, exception, depth + 1, organization, purpose, item, directCare, matches);
    }
  }
}
