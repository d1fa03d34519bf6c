package org.tellonce.consent.decision;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tellonce.consent.agreement.Agreement;
import org.tellonce.consent.decision.ConsentPolicy.Item;
import org.tellonce.consent.decision.ConsentPolicy.Provision;
import org.tellonce.consent.decision.ConsentPolicy.Request;
import org.tellonce.consent.decision.ConsentPolicy.Type;
import org.tellonce.platform.decision.DecisionResponse.Reason;
import org.tellonce.platform.decision.Obligations;
import org.tellonce.platform.decision.Purposes;

/**
 * The consent decision, as pure functions. The order of the rules and worked examples are in
 * {@code docs/consent-model.md}; in short: break-glass for emergencies, then the person's own consents and objections
 * (the most specific provision wins, deny beats permit at equal depth, an overridden objection no longer binds direct
 * care), then law and policy — direct care needs a legitimate relationship and a data-sharing agreement and proceeds
 * on implied consent; other purposes need explicit consent or an agreement for that purpose, and then the National
 * Data Opt-out applies — and sensitive labels go only to the roles the sensitivity policy names.
 */
public final class PolicyEvaluator {

  public static final String CLINICAL_ROLE = "clinician";
  public static final String CARE_TEAM = "is in the person's care team";
  /** Reason sources of a disclosure under an emergency grant or an overridden objection (followed by the id). */
  public static final String BREAK_GLASS = "break-glass/";
  public static final String OBJECTION_OVERRIDE = "objection-override/";

  public record Decision(String id, boolean permit, List<Reason> reasons, List<String> obligations) {}

  /**
   * What a decision about the person depends on: the organisations with a legitimate relationship (and what the
   * relationship is, for example {@value #CARE_TEAM}), the person's consents (a National Data Opt-out apart), the id of
   * an active break-glass grant of the requesting user or null, the active data-sharing agreements, and the day the
   * person registered a National Data Opt-out (null if they have not); {@code undecidable} says why the state could
   * not be read whole (every item is then denied), or is null.
   */
  public record PersonState(Map<String, String> relationships, List<ConsentPolicy> consents, String breakGlass,
      List<Agreement> agreements, LocalDate nationalOptOut, String undecidable) {

    public PersonState(Map<String, String> relationships, List<ConsentPolicy> consents, String breakGlass,
        List<Agreement> agreements, LocalDate nationalOptOut) {
      this(relationships, consents, breakGlass, agreements, nationalOptOut, null);
    }

    /** A person whose legitimate relationships are their care team's organisations. */
    public PersonState(Set<String> careTeamOrganizations, List<ConsentPolicy> consents, String breakGlass,
        List<Agreement> agreements) {
      this(careTeam(careTeamOrganizations), consents, breakGlass, agreements, null);
    }

    /** Each organisation's relationship: being in the person's care team. */
    public static Map<String, String> careTeam(Set<String> organizations) {
      Map<String, String> relationships = new LinkedHashMap<>();
      organizations.forEach(organization -> relationships.put(organization, CARE_TEAM));
      return relationships;
    }
  }

  private record Match(ConsentPolicy consent, Provision provision, int depth) {
    boolean beats(Match other) {
      return other == null || depth > other.depth
          || (depth == other.depth && provision.type() == Type.DENY && other.provision.type() != Type.DENY);
    }
  }

  private PolicyEvaluator() {}

  /**
   * The decisions for a batch. Fail closed: when the person's state could not be read whole ({@code undecidable}),
   * or deciding an item fails, that item is DENY with the reason — never an exception that could be taken for a
   * permit.
   */
  public static List<Decision> decide(Request request, List<Item> items, PersonState state) {
    List<Decision> decisions = new ArrayList<>(items.size());
    for (Item item : items) {
      Decision decision;
      try {
        decision = state.undecidable() != null ? deny(item, "policy/undecidable", "Withheld: "
            + state.undecidable()) : decide(request, item, state);
      } catch (RuntimeException e) {
        decision = deny(item, "policy/undecidable", "Withheld: the decision could not be computed ("
            + e.getClass().getSimpleName() + "), so nothing is shared");
      }
      decisions.add(decision);
    }
    return decisions;
  }

  public static Decision decide(Request request, Item item, PersonState state) {
    if (request.organization() == null || request.organization().isBlank()) {
      return deny(item, "policy/no-organisation",
          "Withheld: the requester is not linked to an organisation, so no sharing agreement or relationship can"
              + " apply");
    }
    if (state.breakGlass() != null && Purposes.ETREAT.equals(request.purpose())) {
      Decision emergency = permit(item, BREAK_GLASS + state.breakGlass(), "Shared in an emergency: break-glass"
          + " access was granted to " + request.user() + " with a recorded justification; every use is audited and"
          + " the organisation's privacy officer is told of it for review");
      return new Decision(emergency.id(), true, emergency.reasons(),
          List.of(Obligations.AUDIT, Obligations.NOTIFY_PRIVACY_OFFICER));
    }
    Match best = null;
    Match overridden = null;
    for (ConsentPolicy consent : state.consents()) {
      boolean overriddenObjection = consent.overriddenFor(request.purpose());
      Match match = deepest(consent, consent.root(), request, item, 1, overriddenObjection);
      if (match != null && match.beats(best)) {
        best = match;
      }
      if (overriddenObjection) {
        Match objection = deepest(consent, consent.root(), request, item, 1, false);
        if (objection != null && objection.provision().type() == Type.DENY) {
          overridden = objection;
        }
      }
    }
    Decision decision = decideOn(request, item, state, best);
    if (overridden != null && decision.permit()) {
      List<Reason> reasons = new ArrayList<>();
      reasons.add(new Reason(OBJECTION_OVERRIDE + overridden.consent().consentId(),
          Explain.overriddenObjection(overridden.consent(), overridden.provision())));
      reasons.addAll(decision.reasons());
      List<String> obligations = new ArrayList<>(decision.obligations());
      obligations.add(Obligations.NOTIFY_PRIVACY_OFFICER);
      return new Decision(decision.id(), true, reasons, obligations);
    }
    return decision;
  }

  private static Decision decideOn(Request request, Item item, PersonState state, Match best) {
    String relationship = state.relationships().get(request.organization());
    List<SecurityLabels.Label> withheld = relationship == null
        ? SecurityLabels.current().restricted(item.labels())
        : SecurityLabels.current().withheldFrom(item.labels(), request.roles());

    if (best != null && best.provision().type() == Type.DENY) {
      return deny(item, "Consent/" + best.consent().consentId(), Explain.refusal(best.consent(), best.provision()));
    }
    if (best != null) {
      if (!withheld.isEmpty() && !best.provision().namesLabels(item)) {
        return deny(item, "policy/restricted-label", "Withheld: this is " + Explain.categories(withheld)
            + ", and the person's consent does not name it");
      }
      return permit(item, "Consent/" + best.consent().consentId(), Explain.consented(best.consent(), best.provision()));
    }
    if (!Purposes.DIRECT_CARE.contains(request.purpose())) {
      return secondaryUse(request, item, state);
    }
    if (relationship == null) {
      return deny(item, "policy/no-legitimate-relationship", "Withheld: organisation " + request.organization()
          + " has no legitimate relationship with the person (not in their care team, no active referral, no open"
          + " encounter or case)");
    }
    Agreement agreement = agreement(request, item, state);
    if (agreement == null) {
      return deny(item, "policy/no-agreement", "Withheld: organisation " + request.organization()
          + " is not party to an active data-sharing agreement covering " + Purposes.words(request.purpose())
          + " for " + item.resourceType() + ", so there is no lawful basis to share it");
    }
    if (!withheld.isEmpty()) {
      String roles = Explain.roles(withheld);
      return deny(item, "policy/restricted-label", "Withheld: this is " + Explain.categories(withheld) + "; "
          + (roles == null ? "it is shared only under the person's explicit consent naming it"
              : "without the person's explicit consent it is shared only with " + roles
                  + " who have a relationship with the person"));
    }
    Decision shared = permit(item, "policy/direct-care", "Shared because organisation " + request.organization()
        + " " + relationship + " and the person has not objected, under the data-sharing agreement '"
        + agreement.title() + "'");
    String redact = Obligations.redact(SecurityLabels.current().redactOnImpliedConsent(item.labels()));
    if (redact == null) {
      return shared;
    }
    List<Reason> reasons = new ArrayList<>(shared.reasons());
    List<SecurityLabels.Label> redacting = SecurityLabels.current().restricted(item.labels()).stream()
        .filter(label -> !label.redactOnImpliedConsent().isEmpty()).toList();
    reasons.add(new Reason("policy/redact", "Its free text (" + String.join(", ",
        Obligations.redactedElements(redact)) + ") is withheld: " + Explain.categories(redacting)
        + " is shared without it unless the person consents"));
    return new Decision(item.id(), true, reasons, List.of(Obligations.AUDIT, redact));
  }

  /** Purposes beyond individual care: an agreement for the purpose is the legal basis; the opt-out then applies. */
  private static Decision secondaryUse(Request request, Item item, PersonState state) {
    Agreement agreement = agreement(request, item, state);
    if (agreement == null) {
      return deny(item, "policy/explicit-consent-required", "Withheld: " + Purposes.words(request.purpose())
          + " (" + request.purpose() + ") is not direct care; it needs the person's explicit consent or a data-sharing"
          + " agreement for that purpose");
    }
    if (state.nationalOptOut() != null && Purposes.NATIONAL_OPT_OUT_APPLIES.contains(request.purpose())) {
      return deny(item, "policy/national-data-opt-out", "Withheld: the person registered a National Data Opt-out on "
          + Explain.day(state.nationalOptOut()) + "; it applies to " + Purposes.words(request.purpose())
          + " without their explicit consent");
    }
    List<SecurityLabels.Label> sensitive = SecurityLabels.current().restricted(item.labels());
    if (!sensitive.isEmpty()) {
      return deny(item, "policy/restricted-label", "Withheld: this is " + Explain.categories(sensitive)
          + ", which is used for " + Purposes.words(request.purpose()) + " only with the person's explicit consent");
    }
    return permit(item, "policy/agreement-purpose", "Shared for " + Purposes.words(request.purpose())
        + " under the data-sharing agreement '" + agreement.title() + "'");
  }

  private static Agreement agreement(Request request, Item item, PersonState state) {
    return state.agreements().stream()
        .filter(a -> a.covers(request.organization(), request.purpose(), item.resourceType(), request.time()))
        .findFirst().orElse(null);
  }

  /** The most specific applicable provision; {@code skipDenials} leaves out the denials of an overridden objection. */
  private static Match deepest(ConsentPolicy consent, Provision provision, Request request, Item item, int depth,
      boolean skipDenials) {
    if (!provision.applies(request, item)) {
      return null;
    }
    Match best = provision.type() == null || (skipDenials && provision.type() == Type.DENY) ? null
        : new Match(consent, provision, depth);
    for (Provision exception : provision.exceptions()) {
      Match inner = deepest(consent, exception, request, item, depth + 1, skipDenials);
      if (inner != null && inner.beats(best)) {
        best = inner;
      }
    }
    return best;
  }

  private static Decision permit(Item item, String source, String text) {
    return new Decision(item.id(), true, List.of(new Reason(source, text)), List.of(Obligations.AUDIT));
  }

  private static Decision deny(Item item, String source, String text) {
    return new Decision(item.id(), false, List.of(new Reason(source, text)), List.of());
  }
}
