package org.tellonce.consent.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.Test;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;

class ConsentReaderTest {

  static final String HEAD = """
      {"resourceType":"Consent","status":"active",
       "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
       "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],
       "patient":{"reference":"Patient/p1"},""";

  static Consent consent(String rest) {
    return Fhir.parse(Consent.class, HEAD + rest + "}");
  }

  static String purpose(String code) {
    return "{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActReason\",\"code\":\"" + code + "\"}";
  }

  @Test
  void aDenialThatCanReachDirectCareIsAnObjection() {
    assertThat(ConsentReader.validate(consent("\"provision\":{\"type\":\"deny\"}")).objection()).isTrue();
    assertThat(ConsentReader.validate(consent(
        "\"provision\":{\"type\":\"deny\",\"purpose\":[" + purpose("TREAT") + "]}")).objection()).isTrue();
    assertThat(ConsentReader.validate(consent(
        "\"provision\":{\"type\":\"permit\",\"provision\":[{\"type\":\"deny\"}]}")).objection()).isTrue();
  }

  @Test
  void aRefusalOfResearchOnlyOrAPermitIsNotAnObjection() {
    assertThat(ConsentReader.validate(consent(
        "\"provision\":{\"type\":\"deny\",\"purpose\":[" + purpose("HRESCH") + "]}")).objection()).isFalse();
    // a nested deny inherits its parent's purposes
    assertThat(ConsentReader.validate(consent("\"provision\":{\"type\":\"permit\",\"purpose\":["
        + purpose("HRESCH") + "],\"provision\":[{\"type\":\"deny\"}]}")).objection()).isFalse();
    assertThat(ConsentReader.validate(consent("\"provision\":{\"type\":\"permit\"}")).objection()).isFalse();
  }

  @Test
  void theNationalDataOptOutIsKeptApartAndCannotReachIndividualCare() {
    Consent optOut = consent("\"policy\":[{\"uri\":\"" + ConsentReader.NATIONAL_OPT_OUT + "\"}],"
        + "\"provision\":{\"type\":\"deny\"}");
    assertThat(ConsentReader.validate(optOut).personId()).isEqualTo("p1");
    assertThat(ConsentReader.validate(optOut).nationalOptOut()).isTrue();
    assertThat(ConsentReader.validate(optOut).objection()).isFalse();
    assertThatThrownBy(() -> ConsentReader.validate(consent("\"policy\":[{\"uri\":\"" + ConsentReader.NATIONAL_OPT_OUT
        + "\"}],\"provision\":{\"type\":\"deny\",\"purpose\":[" + purpose("TREAT") + "]}")))
        .isInstanceOf(FhirException.class).hasMessageContaining("does not apply to individual care");
    assertThatThrownBy(() -> ConsentReader.validate(consent("\"policy\":[{\"uri\":\"" + ConsentReader.NATIONAL_OPT_OUT
        + "\"}],\"provision\":{\"type\":\"permit\"}")))
        .isInstanceOf(FhirException.class).hasMessageContaining("one deny provision");
  }

  @Test
  void aConsentDatedInTheFutureIsRefused() {
    assertThatThrownBy(() -> ConsentReader.validate(consent(
        "\"dateTime\":\"2999-01-01T00:00:00Z\",\"provision\":{\"type\":\"deny\"}")))
        .isInstanceOf(FhirException.class).hasMessageContaining("provision.period.end");
  }
}
