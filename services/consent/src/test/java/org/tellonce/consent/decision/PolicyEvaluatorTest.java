package org.tellonce.consent.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tellonce.consent.agreement.Agreement;
import org.tellonce.consent.decision.ConsentPolicy.Item;
import org.tellonce.consent.decision.ConsentPolicy.Provision;
import org.tellonce.consent.decision.ConsentPolicy.Request;
import org.tellonce.consent.decision.ConsentPolicy.Type;
import org.tellonce.consent.decision.PolicyEvaluator.Decision;
import org.tellonce.consent.decision.PolicyEvaluator.PersonState;

class PolicyEvaluatorTest {

  static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  static final Item ALLERGY = new Item("a1", "AllergyIntolerance", Set.of());
  static final Item MENTAL_HEALTH = new Item("c1", "Condition", Set.of("PSY"));
  static final Set<String> TEAM = Set.of("MHT01", "LA001");

  static Request ask(String organization, String purpose, String... roles) {
    return new Request("p1", organization, "someone", Set.of(roles), purpose, NOW);
  }

  static Provision provision(Type type, Set<String> orgs, Set<String> purposes, Provision... exceptions) {
    return new Provision(type, orgs, purposes, Set.of(), Set.of(), null, null, List.of(exceptions));
  }

  static ConsentPolicy consent(String id, Provision root) {
    return new ConsentPolicy(id, root);
  }

  /** The ICS-wide agreement of the tests: every partner, direct care, all data, no end. */
  static final List<Agreement> ICS = List.of(new Agreement("dsa1", "Riverside ICS direct care",
      Set.of("MHT01", "LA001", "GPP01", "VCS01"), Set.of("TREAT", "ETREAT", "CAREMGT", "COC"), Set.of("*"), null, null));

  static Decision decide(Request request, Item item, Set<String> team, ConsentPolicy... consents) {
    return PolicyEvaluator.decide(request, item, new PersonState(team, List.of(consents), null, ICS));
  }

  @Test
  void anActiveBreakGlassGrantPermitsEmergencyTreatmentOnly() {
    ConsentPolicy objection = consent("c9", provision(Type.DENY, Set.of("GPP01"), Set.of()));
    PersonState withGrant = new PersonState(TEAM, List.of(objection), "g1", ICS);
    Decision emergency = PolicyEvaluator.decide(ask("GPP01", "ETREAT", "clinician"), MENTAL_HEALTH, withGrant);
    assertThat(emergency.permit()).isTrue();
    assertThat(emergency.reasons().get(0).source()).isEqualTo("break-glass/g1");
    assertThat(emergency.obligations()).containsExactly("audit", "notify:privacy-officer");
    assertThat(PolicyEvaluator.decide(ask("GPP01", "TREAT", "clinician"), MENTAL_HEALTH, withGrant).permit()).isFalse();
    assertThat(PolicyEvaluator.decide(ask("GPP01", "ETREAT", "clinician"), MENTAL_HEALTH,
        new PersonState(TEAM, List.of(objection), null, ICS)).permit()).isFalse();
  }

  @Test
  void directCareNeedsAnActiveAgreementCoveringTheOrganisationPurposeDataAndDate() {
    Request council = ask("LA001", "TREAT", "social-worker");
    Agreement narrow = new Agreement("dsa2", "Hospital discharge", Set.of("MHT01", "LA001"), Set.of("TREAT"),
        Set.of("AllergyIntolerance"), java.time.LocalDate.of(2026, 1, 1), java.time.LocalDate.of(2026, 12, 31));
    assertThat(PolicyEvaluator.decide(council, ALLERGY, new PersonState(TEAM, List.of(), null, List.of(narrow)))
        .permit()).isTrue();
    Decision none = PolicyEvaluator.decide(council, ALLERGY, new PersonState(TEAM, List.of(), null, List.of()));
    assertThat(none.permit()).isFalse();
    assertThat(none.reasons().get(0).source()).isEqualTo("policy/no-agreement");
    assertThat(PolicyEvaluator.decide(council, MENTAL_HEALTH, new PersonState(TEAM, List.of(), null, List.of(narrow)))
        .permit()).isFalse();
    assertThat(PolicyEvaluator.decide(ask("LA001", "CAREMGT", "social-worker"), ALLERGY,
        new PersonState(TEAM, List.of(), null, List.of(narrow))).permit()).isFalse();
    Request nextYear = new Request("p1", "LA001", "someone", Set.of("social-worker"), "TREAT",
        Instant.parse("2027-01-02T10:00:00Z"));
    assertThat(PolicyEvaluator.decide(nextYear, ALLERGY, new PersonState(TEAM, List.of(), null, List.of(narrow)))
        .permit()).isFalse();
  }

  @Test
  void permitsDirectCareByAMemberOfTheCareTeam() {
    Decision d = decide(ask("LA001", "TREAT", "social-worker"), ALLERGY, TEAM);
    assertThat(d.permit()).isTrue();
    assertThat(d.reasons().get(0).source()).isEqualTo("policy/direct-care");
    assertThat(d.obligations()).contains("audit");
  }

  @Test
  void deniesAnOrganisationWithNoRelationship() {
    Decision d = decide(ask("GPP01", "TREAT", "clinician"), ALLERGY, TEAM);
    assertThat(d.permit()).isFalse();
    assertThat(d.reasons().get(0).source()).isEqualTo("policy/no-legitimate-relationship");
  }

  @Test
  void anObjectionToOneOrganisationBeatsItsPlaceInTheCareTeam() {
    ConsentPolicy objection = consent("k1", provision(Type.DENY, Set.of("LA001"), Set.of()));
    assertThat(decide(ask("LA001", "TREAT", "social-worker"), ALLERGY, TEAM, objection).permit()).isFalse();
    assertThat(decide(ask("LA001", "TREAT", "social-worker"), ALLERGY, TEAM, objection).reasons().get(0).source())
        .isEqualTo("Consent/k1");
    assertThat(decide(ask("MHT01", "TREAT", "clinician"), ALLERGY, TEAM, objection).permit()).isTrue();
  }

  @Test
  void anObjectionLimitedToAPurposeLeavesOtherPurposesAlone() {
    ConsentPolicy objection = consent("k1", provision(Type.DENY, Set.of("LA001"), Set.of("CAREMGT")));
    assertThat(decide(ask("LA001", "CAREMGT", "social-worker"), ALLERGY, TEAM, objection).permit()).isFalse();
    assertThat(decide(ask("LA001", "TREAT", "social-worker"), ALLERGY, TEAM, objection).permit()).isTrue();
  }

  @Test
  void aNestedExceptionIsMoreSpecificThanItsParent() {
    ConsentPolicy denyAllButTheTrust = consent("k2", provision(Type.DENY, Set.of(), Set.of(),
        provision(Type.PERMIT, Set.of("MHT01"), Set.of())));
    assertThat(decide(ask("MHT01", "TREAT", "clinician"), ALLERGY, TEAM, denyAllButTheTrust).permit()).isTrue();
    assertThat(decide(ask("LA001", "TREAT", "social-worker"), ALLERGY, TEAM, denyAllButTheTrust).permit()).isFalse();
  }

  @Test
  void denyBeatsPermitAtEqualSpecificity() {
    ConsentPolicy permit = consent("k3", provision(Type.PERMIT, Set.of("LA001"), Set.of()));
    ConsentPolicy deny = consent("k4", provision(Type.DENY, Set.of("LA001"), Set.of()));
    assertThat(decide(ask("LA001", "TREAT", "social-worker"), ALLERGY, TEAM, permit, deny).permit()).isFalse();
    assertThat(decide(ask("LA001", "TREAT", "social-worker"), ALLERGY, TEAM, deny, permit).permit()).isFalse();
  }

  @Test
  void purposesBeyondDirectCareNeedExplicitConsent() {
    Decision d = decide(ask("MHT01", "HRESCH", "clinician"), ALLERGY, TEAM);
    assertThat(d.permit()).isFalse();
    assertThat(d.reasons().get(0).source()).isEqualTo("policy/explicit-consent-required");
    ConsentPolicy research = consent("k5", provision(Type.PERMIT, Set.of("MHT01"), Set.of("HRESCH")));
    assertThat(decide(ask("MHT01", "HRESCH", "clinician"), ALLERGY, TEAM, research).permit()).isTrue();
  }

  @Test
  void sensitiveDataGoesOnlyToClinicansOfTheTeamWithoutExplicitConsent() {
    assertThat(decide(ask("MHT01", "TREAT", "clinician"), MENTAL_HEALTH, TEAM).permit()).isTrue();
    Decision social = decide(ask("LA001", "TREAT", "social-worker"), MENTAL_HEALTH, TEAM);
    assertThat(social.permit()).isFalse();
    assertThat(social.reasons().get(0).source()).isEqualTo("policy/restricted-label");
  }

  @Test
  void aConsentNamingTheSensitiveLabelSharesIt() {
    ConsentPolicy sharePsy = consent("k6", new Provision(Type.PERMIT, Set.of("LA001"), Set.of(), Set.of(),
        Set.of("PSY"), null, null, List.of()));
    assertThat(decide(ask("LA001", "TREAT", "social-worker"), MENTAL_HEALTH, TEAM, sharePsy).permit()).isTrue();
  }

  @Test
  void aProvisionOutsideItsPeriodDoesNotApply() {
    ConsentPolicy expired = consent("k7", new Provision(Type.DENY, Set.of("LA001"), Set.of(), Set.of(), Set.of(),
        Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"), List.of()));
    assertThat(decide(ask("LA001", "TREAT", "social-worker"), ALLERGY, TEAM, expired).permit()).isTrue();
  }

  @Test
  void aResourceClassLimitsTheProvision() {
    ConsentPolicy noAllergiesForCouncil = consent("k8", new Provision(Type.DENY, Set.of("LA001"), Set.of(),
        Set.of("AllergyIntolerance"), Set.of(), null, null, List.of()));
    assertThat(decide(ask("LA001", "TREAT", "social-worker"), ALLERGY, TEAM, noAllergiesForCouncil).permit()).isFalse();
    assertThat(decide(ask("LA001", "TREAT", "social-worker"), new Item("f", "Flag", Set.of()), TEAM,
        noAllergiesForCouncil).permit()).isTrue();
  }

  @Test
  void deniesARequesterWithoutAnOrganisation() {
    assertThat(decide(new Request("p1", null, "someone", Set.of("admin"), "TREAT", NOW), ALLERGY, TEAM).permit()).isFalse();
  }

  static final java.time.LocalDate MARCH_3 = java.time.LocalDate.of(2026, 3, 3);

  static ConsentPolicy objection(String id, ConsentPolicy.Objection review, Provision root) {
    return new ConsentPolicy(id, root, MARCH_3, review);
  }

  static Provision denyLabels(Set<String> orgs, String... labels) {
    return new Provision(Type.DENY, orgs, Set.of(), Set.of(), Set.of(labels), null, null, List.of());
  }

  @Test
  void aPendingObjectionIsEnforcedAndSaysWhatTheSentenceOfTheRefusalIs() {
    ConsentPolicy pending = objection("o1", ConsentPolicy.Objection.PENDING, denyLabels(Set.of("LA001"), "PSY"));
    Decision d = decide(ask("LA001", "TREAT", "clinician"), MENTAL_HEALTH, TEAM, pending);
    assertThat(d.permit()).isFalse();
    assertThat(d.reasons().get(0).source()).isEqualTo("Consent/o1");
    assertThat(d.reasons().get(0).text()).isEqualTo("Withheld: the person asked for mental health information not to"
        + " be shared with organisation LA001 on 3 March 2026. This objection to sharing for their care is enforced"
        + " while a senior clinician or privacy officer reviews it");
  }

  @Test
  void anUpheldObjectionIsEnforcedAndNamesWhoUpheldIt() {
    ConsentPolicy upheld = objection("o2", new ConsentPolicy.Objection(ConsentPolicy.Review.UPHELD,
        "dr.who (senior clinician, GPP01)", java.time.LocalDate.of(2026, 3, 5), "The person understands the risks"),
        provision(Type.DENY, Set.of("LA001"), Set.of()));
    Decision d = decide(ask("LA001", "TREAT", "social-worker"), ALLERGY, TEAM, upheld);
    assertThat(d.permit()).isFalse();
    assertThat(d.reasons().get(0).text()).endsWith("The objection was upheld by dr.who (senior clinician, GPP01) on"
        + " 5 March 2026");
  }

  @Test
  void anOverriddenObjectionNoLongerBindsDirectCareButIsExplainedWithEveryDisclosure() {
    ConsentPolicy overridden = objection("o3", new ConsentPolicy.Objection(ConsentPolicy.Review.OVERRIDDEN,
        "caldicott.mht (privacy officer, MHT01)", java.time.LocalDate.of(2026, 3, 5),
        "Serious risk of harm to others: safeguarding duty"),
        provision(Type.DENY, Set.of("LA001"), Set.of()));
    Decision d = decide(ask("LA001", "TREAT", "social-worker"), ALLERGY, TEAM, overridden);
    assertThat(d.permit()).isTrue();
    assertThat(d.reasons().get(0).source()).isEqualTo("objection-override/o3");
    assertThat(d.reasons().get(0).text()).contains("overrode the objection on 5 March 2026: Serious risk of harm");
    assertThat(d.reasons().get(1).source()).isEqualTo("policy/direct-care");
    assertThat(d.obligations()).containsExactly("audit", "notify:privacy-officer");
    // a permit that rests on no override tells no one
    assertThat(decide(ask("LA001", "TREAT", "social-worker"), ALLERGY, TEAM).obligations()).containsExactly("audit");
    // the override is no lawful basis by itself: the relationship and agreement rules still apply
    assertThat(decide(ask("GPP01", "TREAT", "clinician"), ALLERGY, TEAM, overridden).permit()).isFalse();
    // nor does it reach beyond direct care
    assertThat(decide(ask("LA001", "HRESCH", "social-worker"), ALLERGY, TEAM, overridden).permit()).isFalse();
  }

  /** An agreement for planning among the ICS partners (a recorded legal basis beyond direct care). */
  static final Agreement PLANNING = new Agreement("dsa3", "Population health planning", Set.of("MHT01", "LA001"),
      Set.of("HOPERAT"), Set.of("*"), null, null);

  @Test
  void theNationalDataOptOutStopsPlanningButNeverDirectCare() {
    List<Agreement> agreements = List.of(ICS.get(0), PLANNING);
    PersonState noOptOut = new PersonState(PersonState.careTeam(TEAM), List.of(), null, agreements, null);
    PersonState optedOut = new PersonState(PersonState.careTeam(TEAM), List.of(), null, agreements, MARCH_3);
    assertThat(PolicyEvaluator.decide(ask("LA001", "HOPERAT", "social-worker"), ALLERGY, noOptOut).permit()).isTrue();
    Decision planning = PolicyEvaluator.decide(ask("LA001", "HOPERAT", "social-worker"), ALLERGY, optedOut);
    assertThat(planning.permit()).isFalse();
    assertThat(planning.reasons().get(0).source()).isEqualTo("policy/national-data-opt-out");
    assertThat(planning.reasons().get(0).text()).contains("3 March 2026");
    assertThat(PolicyEvaluator.decide(ask("LA001", "TREAT", "social-worker"), ALLERGY, optedOut).permit()).isTrue();
    // the person's explicit consent to a study stands above their opt-out
    ConsentPolicy study = consent("k9", provision(Type.PERMIT, Set.of("MHT01"), Set.of("HRESCH")));
    PersonState consented = new PersonState(PersonState.careTeam(TEAM), List.of(study), null, agreements, MARCH_3);
    assertThat(PolicyEvaluator.decide(ask("MHT01", "HRESCH", "clinician"), ALLERGY, consented).permit()).isTrue();
    // sensitive data is not used for planning without consent
    assertThat(PolicyEvaluator.decide(ask("LA001", "HOPERAT", "social-worker"), MENTAL_HEALTH, noOptOut).permit())
        .isFalse();
  }

  @Test
  void eachSensitiveLabelGoesOnlyToTheRolesThePolicyNames() {
    Item safeguarding = new Item("s1", "Flag", Set.of("safeguarding"));
    assertThat(decide(ask("LA001", "TREAT", "social-worker"), safeguarding, TEAM).permit()).isTrue();
    assertThat(decide(ask("LA001", "TREAT", "support-worker"), safeguarding, TEAM).permit()).isFalse();
    Item genderHistory = new Item("g1", "Condition", Set.of("gender-history"));
    Decision clinician = decide(ask("MHT01", "TREAT", "clinician"), genderHistory, TEAM);
    assertThat(clinician.permit()).isFalse();
    assertThat(clinician.reasons().get(0).text()).contains("Gender Recognition Act").contains("only under the person's explicit consent naming it");
    ConsentPolicy named = consent("k10", new Provision(Type.PERMIT, Set.of("MHT01"), Set.of(), Set.of(),
        Set.of("gender-history"), null, null, List.of()));
    assertThat(decide(ask("MHT01", "TREAT", "clinician"), genderHistory, TEAM, named).permit()).isTrue();
    // two labels: the rule for each must allow it
    Item both = new Item("b1", "Condition", Set.of("PSY", "safeguarding"));
    assertThat(decide(ask("LA001", "TREAT", "social-worker"), both, TEAM).permit()).isFalse();
    assertThat(decide(ask("MHT01", "TREAT", "clinician"), both, TEAM).permit()).isTrue();
  }

  @Test
  void aConsentPermitSaysWhenAndWithWhomThePersonAgreed() {
    ConsentPolicy vcse = new ConsentPolicy("k11", provision(Type.PERMIT, Set.of("VCS01"), Set.of()), MARCH_3, null);
    Decision d = decide(ask("VCS01", "TREAT", "support-worker"), ALLERGY, TEAM, vcse);
    assertThat(d.permit()).isTrue();
    assertThat(d.reasons().get(0).text()).isEqualTo("Shared because the person consented on 3 March 2026 to sharing"
        + " their information with organisation VCS01");
  }

  @Test
  void thirdPartyInformationSharedOnImpliedConsentLosesItsFreeText() {
    Item thirdParty = new Item("t1", "Condition", Set.of("third-party"));
    Decision implied = decide(ask("LA001", "TREAT", "social-worker"), thirdParty, TEAM);
    assertThat(implied.permit()).isTrue();
    assertThat(implied.obligations()).containsExactly("audit", "redact:note,text");
    assertThat(implied.reasons().get(1).source()).isEqualTo("policy/redact");
    assertThat(implied.reasons().get(1).text()).contains("information about other people");
    // the person's consent naming the label shares it whole
    ConsentPolicy named = consent("k12", new Provision(Type.PERMIT, Set.of("LA001"), Set.of(), Set.of(),
        Set.of("third-party"), null, null, List.of()));
    assertThat(decide(ask("LA001", "TREAT", "social-worker"), thirdParty, TEAM, named).obligations())
        .containsExactly("audit");
  }
}
