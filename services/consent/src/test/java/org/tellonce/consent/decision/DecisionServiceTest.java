package org.tellonce.consent.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Fail closed: state that cannot be read whole denies, with the reason, instead of being read in part. */
class DecisionServiceTest {

  static final String AGREEMENT = """
      {"title":"ICS","status":"active","parties":["LA001"],"purposes":["TREAT"],"dataClasses":["*"]}""";

  static DecisionService service() {
    DecisionService service = new DecisionService();
    service.mapper = new ObjectMapper();
    return service;
  }

  static PersonStateQuery.Snapshot snapshot(List<PersonStateQuery.ConsentRow> consents, String agreementBody) {
    return new PersonStateQuery.Snapshot(List.of("p1"), 3, Set.of("LA001"), Map.of(), consents, null, null, false,
        null, null, List.of(new PersonStateQuery.AgreementRow("a1", 1, agreementBody)));
  }

  static List<PolicyEvaluator.Decision> decide(DecisionService.Loaded loaded) {
    ConsentPolicy.Request request = new ConsentPolicy.Request("p1", "LA001", "sw", Set.of("social-worker"), "TREAT",
        Instant.now());
    return DecisionService.decide(request, List.of(new ConsentPolicy.Item("x", "Flag", Set.of())), loaded);
  }

  @Test
  void aConsentThatCannotBeReadDeniesEverythingAboutThePerson() {
    var broken = new PersonStateQuery.ConsentRow("c1", "p1", 2, "{\"resourceType\":\"Consent\",\"provision\":",
        true, false, null, null, null, null, null, null, null);
    assertThat(decide(service().loaded(snapshot(List.of(), AGREEMENT))).get(0).permit()).isTrue();
    PolicyEvaluator.Decision denied = decide(service().loaded(snapshot(List.of(broken), AGREEMENT))).get(0);
    assertThat(denied.permit()).isFalse();
    assertThat(denied.reasons().get(0).source()).isEqualTo("policy/undecidable");
    assertThat(denied.reasons().get(0).text()).contains("Consent/c1 cannot be read");
  }

  @Test
  void anAgreementThatCannotBeReadGivesNoLawfulBasis() {
    PolicyEvaluator.Decision denied = decide(service().loaded(snapshot(List.of(), "{not json"))).get(0);
    assertThat(denied.permit()).isFalse();
    assertThat(denied.reasons().get(0).source()).isEqualTo("policy/no-agreement");
  }

  @Test
  void aConsentRecordedBeforeAuthorityWasCheckedStillBindsAsThePersonsOwn() {
    var legacy = new PersonStateQuery.ConsentRow("c2", "p1", 1, """
        {"resourceType":"Consent","status":"active",
         "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
         "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],
         "patient":{"reference":"Patient/p1"},
         "provision":{"type":"deny","actor":[{"reference":{"identifier":{
           "system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"LA001"}}}]}}""",
        true, false, null, null, null, null, null, null, null);
    PolicyEvaluator.Decision denied = decide(service().loaded(snapshot(List.of(legacy), AGREEMENT))).get(0);
    assertThat(denied.permit()).isFalse();
    assertThat(denied.reasons().get(0).source()).isEqualTo("Consent/c2");
  }
}
