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
    assertThat(ConsentReader.isObjection(consent("\"provision\":{\"type\":\"deny\"}"))).isTrue();
    assertThat(ConsentReader.isObjection(consent(
        "\"provision\":{\"type\":\"deny\",\"purpose\":[" + purpose("TREAT") + "]}"))).isTrue();
    assertThat(ConsentReader.isObjection(consent(
        "\"provision\":{\"type\":\"permit\",\"provision\":[{\"type\":\"deny\"}]}"))).isTrue();
  }

  @Test
  void aRefusalOfResearchOnlyOrAPermitIsNotAnObjection() {
    assertThat(ConsentReader.isObjection(consent(
        "\"provision\":{\"type\":\"deny\",\"purpose\":[" + purpose("HRESCH") + "]}"))).isFalse();
    // a nested deny inherits its parent's purposes
    assertThat(ConsentReader.isObjection(consent("\"provision\":{\"type\":\"permit\",\"purpose\":["
        + purpose("HRESCH") + "],\"provision\":[{\"type\":\"deny\"}]}"))).isFalse();
    assertThat(ConsentReader.isObjection(consent("\"provision\":{\"type\":\"permit\"}"))).isFalse();
  }

  @Test
  void theNationalDataOptOutIsKeptApartAndCannotReachIndividualCare() {
    Consent optOut = consent("\"policy\":[{\"uri\":\"" + ConsentReader.NATIONAL_OPT_OUT + "\"}],"
        + "\"provision\":{\"type\":\"deny\"}");
    assertThat(ConsentReader.validate(optOut)).isEqualTo("p1");
    assertThat(ConsentReader.isNationalOptOut(optOut)).isTrue();
    assertThat(ConsentReader.isObjection(optOut)).isFalse();
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
