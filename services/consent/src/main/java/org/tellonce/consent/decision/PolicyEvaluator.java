package org.tellonce.consent.decision;

import org.tellonce.platform.decision.Purposes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tellonce.consent.agreement.Agreement;
import org.tellonce.consent.decision.ConsentPolicy.Item;
import org.tellonce.consent.decision.ConsentPolicy.Provision;
import org.tellonce.consent.decision.ConsentPolicy.Request;
import org.tellonce.consent.decision.ConsentPolicy.Type;
import org.tellonce.platform.decision.DecisionResponse.Reason;

/**
 * The consent decision, as pure functions. Layers are evaluated together; the most specific applicable rule wins and a
 * deny beats a permit at equal specificity:
 *
 * <ol>
 *   <li>law and policy: direct care among the person's care team proceeds on implied consent; other purposes need
 *       explicit consent;
 *   <li>the person's own Consent provisions (deeper nested exceptions are more specific than their parents);
 *   <li>restricted labels: shared only under a provision naming them, or with a clinician of the care team.
 * </ol>
 */
public final class PolicyEvaluator {

  public static final String CLINICAL_ROLE = "clinician";

  public record Decision(String id, boolean permit, List<Reason> reasons, List<String> obligations) {}

  /** What the decision depends on about the person. */
  /**
   * What a decision about the person depends on. {@code breakGlass} is the id of an active emergency-access grant of
   * the requesting user for this person, or null; {@code agreements} the active data-sharing agreements.
   */
  public record PersonState(Set<String> careTeamOrganizations, List<ConsentPolicy> consents, String breakGlass,
      List<Agreement> agreements) {}

  private record Match(String consentId, Provision provision, int depth) {}

  private PolicyEvaluator() {}

  public static List<Decision> decide(Request request, List<Item> items, PersonState state) {
    List<Decision> decisions = new ArrayList<>(items.size());
    for (Item item : items) {
      decisions.add(decide(request, item, state));
    }
    return decisions;
  }

  public static Decision decide(Request request, Item item, PersonState state) {
    if (request.organization() == null || request.organization().isBlank()) {
      return deny(item, "policy/no-organisation",
          "The requester is not linked to an organisation, so no sharing agreement or relationship can apply");
    }
    if (state.breakGlass() != null && Purposes.ETREAT.equals(request.purpose())) {
      return permit(item, "break-glass/" + state.breakGlass(), "Emergency access (break-glass) granted to "
          + request.user() + " for this person, with a recorded justification; every use is audited and reviewed by"
          + " the organisation's privacy officer");
    }
    Match best = null;
    for (ConsentPolicy consent : state.consents()) {
      Match match = deepest(consent.consentId(), consent.root(), request, item, 1);
      if (match != null && (best == null || match.depth() > best.depth()
          || (match.depth() == best.depth() && match.provision().type() == Type.DENY))) {
        best = match;
      }
    }
    boolean inCareTeam = state.careTeamOrganizations().contains(request.organization());
    boolean restricted = SecurityLabels.anyRestricted(item.labels());

    if (best != null && best.provision().type() == Type.DENY) {
      return deny(item, "Consent/" + best.consentId(),
          "The person has objected to this sharing (a recorded Consent denies it)");
    }
    if (best != null) {
      if (restricted && !best.provision().namesLabels(item) && !(inCareTeam && isClinician(request))) {
        return deny(item, "policy/restricted-label",
            "The data is sensitive; the person's consent does not cover its sensitivity labels");
      }
      return permit(item, "Consent/" + best.consentId(), "The person's recorded consent permits this sharing");
    }
    if (!Purposes.DIRECT_CARE.contains(request.purpose())) {
      return deny(item, "policy/explicit-consent-required",
          "Purpose " + request.purpose() + " is not direct care: it needs the person's explicit consent or another"
              + " recorded legal basis");
    }
    if (!inCareTeam) {
      return deny(item, "policy/no-legitimate-relationship",
          "Organisation " + request.organization() + " has no legitimate relationship with the person"
              + " (not in their care team)");
    }
    Agreement agreement = state.agreements().stream()
        .filter(a -> a.covers(request.organization(), request.purpose(), item.resourceType(), request.time()))
        .findFirst().orElse(null);
    if (agreement == null) {
      return deny(item, "policy/no-agreement",
          "Organisation " + request.organization() + " is not party to an active data-sharing agreement covering "
              + request.purpose() + " for " + item.resourceType() + ", so there is no lawful basis to share it");
    }
    if (restricted && !isClinician(request)) {
      return deny(item, "policy/restricted-label",
          "The data is sensitive: without an explicit consent it is shared only with clinicians of the care team");
    }
    return permit(item, "policy/direct-care-care-team",
        "Direct care by a member of the person's care team proceeds on implied consent, under the data-sharing"
            + " agreement '" + agreement.title() + "'");
  }

  private static boolean isClinician(Request request) {
    return request.roles().contains(CLINICAL_ROLE);
  }

  private static Match deepest(String consentId, Provision provision, Request request, Item item, int depth) {
    if (!provision.applies(request, item)) {
      return null;
    }
    Match best = provision.type() == null ? null : new Match(consentId, provision, depth);
    for (Provision exception : provision.exceptions()) {
      Match inner = deepest(consentId, exception, request, item, depth + 1);
      if (inner != null && (best == null || inner.depth() > best.depth()
          || (inner.depth() == best.depth() && inner.provision().type() == Type.DENY))) {
        best = inner;
      }
    }
    return best;
  }

  private static Decision permit(Item item, String source, String text) {
    return new Decision(item.id(), true, List.of(new Reason(source, text)), List.of("audit"));
  }

  private static Decision deny(Item item, String source, String text) {
    return new Decision(item.id(), false, List.of(new Reason(source, text)), List.of());
  }
}
