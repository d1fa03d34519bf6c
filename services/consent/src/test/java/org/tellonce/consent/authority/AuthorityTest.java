package org.tellonce.consent.authority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.Test;
import org.tellonce.consent.authority.Authority.Basis;
import org.tellonce.consent.authority.Authority.Capacity;
import org.tellonce.consent.authority.Authority.Facts;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;

/** Who may consent for whom: each rule of the law as tellonce applies it is one test. */
class AuthorityTest {

  static final LocalDate TODAY = LocalDate.of(2026, 11, 24);
  static final Capacity LACKS = new Capacity(false, LocalDate.of(2026, 11, 1), "DocumentReference/mca1");
  static final Capacity HAS = new Capacity(true, LocalDate.of(2026, 11, 1), "DocumentReference/mca2");

  static Facts adult(Capacity capacity) {
    return new Facts(LocalDate.of(1950, 5, 1), capacity, TODAY);
  }

  static Facts aged(int years, Capacity capacity) {
    return new Facts(TODAY.minusYears(years).minusDays(1), capacity, TODAY);
  }

  static Consent consent(String performer, String contained, String extension) {
    return Fhir.parse(Consent.class, """
        {"resourceType":"Consent","status":"active",%s%s
         "patient":{"reference":"Patient/p1"},"performer":[{"reference":"%s"}],"provision":{"type":"deny"}}"""
        .formatted(contained == null ? "" : "\"contained\":[" + contained + "],",
            extension == null ? "" : "\"extension\":[" + extension + "],", performer));
  }

  static String representative(String authority, String extra) {
    return """
        {"resourceType":"RelatedPerson","id":"rep","patient":{"reference":"Patient/p1"},
         "relationship":[{"coding":[{"system":"%s","code":"%s"}]}],
         "identifier":[{"system":"https://tellonce.org/fhir/sid/opg-registration","value":"7000-1234-5678"}]%s}"""
        .formatted(Authority.AUTHORITY_SYSTEM, authority, extra == null ? "" : "," + extra);
  }

  static final String DEPUTY_ORDER = """
      "extension":[{"url":"%s","valueCode":"information-sharing"}],"period":{"start":"2026-01-01","end":"2027-12-31"}"""
      .formatted(Authority.DEPUTY_SCOPE);

  static final String ASSESSMENT = """
      {"url":"%s","valueReference":{"reference":"DocumentReference/mca1"}}""".formatted(Authority.CAPACITY_ASSESSMENT);

  static void refused(Consent consent, Facts facts, String reason) {
    assertThatThrownBy(() -> Authority.check(consent, "p1", facts)).isInstanceOf(FhirException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void thePersonConsentsForThemselvesUnlessRecordedAsLackingCapacity() {
    assertThat(Authority.check(consent("Patient/p1", null, null), "p1", adult(null)).basis()).isEqualTo(Basis.SELF);
    assertThat(Authority.check(consent("Patient/p1", null, null), "p1", adult(HAS)).basis()).isEqualTo(Basis.SELF);
    refused(consent("Patient/p1", null, null), adult(LACKS), "lacking capacity");
    refused(consent("Patient/p2", null, null), adult(null), "another person");
    refused(Fhir.parse(Consent.class, """
        {"resourceType":"Consent","status":"active","patient":{"reference":"Patient/p1"},"provision":{"type":"deny"}}"""),
        adult(null), "Consent.performer is required");
  }

  @Test
  void aChildUnder16DecidesOnlyWhenGillickCompetent() {
    refused(consent("Patient/p1", null, null), aged(14, null), "Gillick");
    assertThat(Authority.check(consent("Patient/p1", null, null), "p1", aged(14, HAS)).basis()).isEqualTo(Basis.SELF);
  }

  @Test
  void aHealthAndWelfareLpaActsOnlyWhileThePersonLacksCapacity() {
    Consent byAttorney = consent("#rep", representative("lpa-health-welfare", null), null);
    Authority.Checked checked = Authority.check(byAttorney, "p1", adult(LACKS));
    assertThat(checked.basis()).isEqualTo(Basis.LPA_HEALTH_WELFARE);
    assertThat(checked.reference()).isEqualTo("7000-1234-5678");
    refused(byAttorney, adult(null), "acts only while the person lacks capacity");
    refused(byAttorney, adult(HAS), "acts only while the person lacks capacity");
    // once the person regains capacity, the attorney's consent stops binding; the person's own never does
    assertThat(Authority.binds(Authority.claim(byAttorney, "p1"), adult(LACKS))).isTrue();
    assertThat(Authority.binds(Authority.claim(byAttorney, "p1"), adult(HAS))).isFalse();
    assertThat(Authority.binds(Authority.claim(consent("Patient/p1", null, null), "p1"), adult(LACKS))).isTrue();
    refused(consent("#rep", representative("lpa-health-welfare", null).replace(
        ",\n \"identifier\":[{\"system\":\"https://tellonce.org/fhir/sid/opg-registration\",\"value\":\"7000-1234-5678\"}]",
        ""), null), adult(LACKS), "registration reference");
  }

  @Test
  void aPropertyAndFinancialAffairsLpaNeverDecidesAboutHealthRecords() {
    refused(consent("#rep", representative("lpa-property-finance", null), null), adult(LACKS),
        "Property and Financial Affairs LPA gives no authority");
  }

  @Test
  void aCourtAppointedDeputyActsWithinTheirOrder() {
    assertThat(Authority.check(consent("#rep", representative("court-deputy", DEPUTY_ORDER), null), "p1",
        adult(LACKS)).basis()).isEqualTo(Basis.COURT_DEPUTY);
    refused(consent("#rep", representative("court-deputy", DEPUTY_ORDER.replace("information-sharing", "residence")),
        null), adult(LACKS), "does not cover decisions about sharing");
    refused(consent("#rep", representative("court-deputy", DEPUTY_ORDER.replace("2027-12-31", "2026-06-30")), null),
        adult(LACKS), "not in force");
    refused(consent("#rep", representative("court-deputy", DEPUTY_ORDER), null), adult(HAS), "lacks capacity");
  }

  @Test
  void parentalResponsibilityRespectsGillickCompetenceAndEndsWithChildhood() {
    Consent byParent = consent("#rep", representative("parental-responsibility", null), null);
    assertThat(Authority.check(byParent, "p1", aged(12, null)).basis()).isEqualTo(Basis.PARENTAL_RESPONSIBILITY);
    refused(byParent, aged(12, HAS), "Gillick");
    refused(byParent, aged(17, null), "presumed to have capacity");
    assertThat(Authority.check(byParent, "p1", aged(17, LACKS)).basis()).isEqualTo(Basis.PARENTAL_RESPONSIBILITY);
    refused(byParent, aged(18, LACKS), "ends at 18");
    refused(byParent, new Facts(null, null, TODAY), "date of birth is not known");
    // a parent's consent for a 15-year-old stops binding on the sixteenth birthday
    assertThat(Authority.binds(Authority.claim(byParent, "p1"), aged(15, null))).isTrue();
    assertThat(Authority.binds(Authority.claim(byParent, "p1"), aged(16, null))).isFalse();
  }

  @Test
  void aBestInterestsDecisionReferencesTheAssessmentThatFoundIncapacity() {
    Consent bestInterests = consent("PractitionerRole/pr1", null, ASSESSMENT);
    assertThat(Authority.check(bestInterests, "p1", adult(LACKS)).basis()).isEqualTo(Basis.BEST_INTERESTS);
    refused(consent("PractitionerRole/pr1", null, null), adult(LACKS), "must reference the capacity assessment");
    refused(bestInterests, adult(HAS), "recorded as lacking capacity");
    refused(bestInterests, adult(new Capacity(false, LocalDate.of(2026, 11, 20), "DocumentReference/mca9")),
        "latest capacity assessment");
    refused(bestInterests, aged(15, LACKS), "under 16");
  }

  @Test
  void aRepresentativeMustBeContainedAndForThisPerson() {
    refused(consent("#rep", "{\"resourceType\":\"Practitioner\",\"id\":\"rep\"}", null), adult(LACKS),
        "must be a RelatedPerson contained");
    refused(consent("#rep", representative("lpa-health-welfare", null).replace("Patient/p1", "Patient/p9"), null),
        adult(LACKS), "representative of Patient/p1");
    refused(consent("#rep", representative("uncle", null), null), adult(LACKS), "Unknown representative authority");
    refused(consent("RelatedPerson/r1", null, null), adult(LACKS), "must be Patient/p1");
  }

  @Test
  void thePublishedCodeSystemHoldsEveryAuthorityTheRulesKnow() throws Exception {
    org.hl7.fhir.r4.model.CodeSystem codeSystem = Fhir.parse(org.hl7.fhir.r4.model.CodeSystem.class,
        java.nio.file.Files.readString(java.nio.file.Path.of(
            "../../contracts/fhir/CodeSystem-tellonce-representative-authority.json")));
    assertThat(codeSystem.getUrl()).isEqualTo(Authority.AUTHORITY_SYSTEM);
    for (var concept : codeSystem.getConcept()) {
      // every published code is understood: granted under the right facts, or refused with its own reason
      Consent consent = consent("#rep", representative(concept.getCode(),
          concept.getCode().equals("court-deputy") ? DEPUTY_ORDER : null), null);
      assertThatThrownBy(() -> Authority.check(consent, "p1", aged(30, HAS)))
          .isInstanceOf(FhirException.class).hasMessageNotContaining("Unknown representative authority");
    }
    assertThat(codeSystem.getConcept()).hasSize(4);
  }
}
