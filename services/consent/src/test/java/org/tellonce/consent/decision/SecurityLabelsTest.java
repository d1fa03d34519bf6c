package org.tellonce.consent.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecurityLabelsTest {

  static SecurityLabels read(String json) throws Exception {
    return SecurityLabels.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theBuiltInPolicyCoversTheHl7AndEnglishSensitivityCodes() {
    SecurityLabels labels = SecurityLabels.defaults();
    assertThat(labels.codes()).contains("R", "V", "PSY", "ETH", "SDV", "HIV", "SOC", "safeguarding", "third-party",
        "gender-history", "sexual-health", "fertility");
    assertThat(labels.label("safeguarding").system()).isEqualTo(SecurityLabels.TELLONCE_SYSTEM);
    assertThat(labels.withheldFrom(Set.of("PSY", "N"), Set.of("social-worker"))).extracting(SecurityLabels.Label::code)
        .containsExactly("PSY");
    assertThat(labels.withheldFrom(Set.of("PSY"), Set.of("clinician"))).isEmpty();
    assertThat(labels.anyRestricted(Set.of("N"))).isFalse();
  }

  @Test
  void anExtendedPolicyAddsALabel() throws Exception {
    SecurityLabels labels = read("""
        {"labels":[{"system":"https://example.org/cs","code":"prison","category":"prison health information",
          "impliedConsentRoles":["clinician"]}]}""");
    assertThat(labels.category("prison")).isEqualTo("prison health information");
    assertThat(labels.anyRestricted(Set.of("PSY"))).isFalse();
  }

  @Test
  void aWrongPolicyIsRefusedWithTheReason() {
    assertThatThrownBy(() -> read("{\"labels\":[]}")).hasMessageContaining("non-empty");
    assertThatThrownBy(() -> read("""
        {"labels":[{"system":"s","code":"A","category":"a","impliedConsentRoles":["surgeon"]}]}"""))
        .hasMessageContaining("labels[0].impliedConsentRoles").hasMessageContaining("surgeon");
    assertThatThrownBy(() -> read("""
        {"labels":[{"system":"s","code":"A","category":"a","impliedConsentRoles":[]},
                   {"system":"t","code":"A","category":"b","impliedConsentRoles":[]}]}"""))
        .hasMessageContaining("labels[1]").hasMessageContaining("twice");
    assertThatThrownBy(() -> read("""
        {"labels":[{"system":"s","code":"A","impliedConsentRoles":[]}]}"""))
        .hasMessageContaining("labels[0].category is required");
    assertThatThrownBy(() -> read("not json")).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> read("""
        {"labels":[{"system":"s","code":"A","category":"a","impliedConsentRoles":[],
                    "redactOnImpliedConsent":["identifier"]}]}"""))
        .hasMessageContaining("labels[0].redactOnImpliedConsent").hasMessageContaining("identifier");
  }

  @Test
  void thePublishedCodeSystemHoldsExactlyTheTellonceCodesOfThePolicy() throws Exception {
    java.nio.file.Path file = java.nio.file.Path.of("../../contracts/fhir/CodeSystem-tellonce-sensitivity.json");
    org.hl7.fhir.r4.model.CodeSystem codeSystem = org.tellonce.platform.fhir.Fhir.parse(
        org.hl7.fhir.r4.model.CodeSystem.class, java.nio.file.Files.readString(file));
    assertThat(codeSystem.getUrl()).isEqualTo(SecurityLabels.TELLONCE_SYSTEM);
    SecurityLabels labels = SecurityLabels.defaults();
    assertThat(codeSystem.getConcept().stream().map(c -> c.getCode()).toList())
        .containsExactlyInAnyOrderElementsOf(labels.codes().stream()
            .filter(code -> SecurityLabels.TELLONCE_SYSTEM.equals(labels.label(code).system())).toList());
  }
}
