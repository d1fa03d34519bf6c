package org.tellonce.platform.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DefinitionProseTest {

  static final FhirContext R4 = FhirContext.forR4Cached();
  static ProfileValidation validation;

  @BeforeAll
  static void validateOnce() throws Exception {
    validation = new ProfileValidation(R4, null);
    validation.errors(new Patient());
  }

  @Test
  void theBaseDefinitionsKeepWhatValidationDecidesByAndLoseTheirProse() {
    DefaultProfileValidationSupport base = new DefaultProfileValidationSupport(R4);
    StructureDefinition patient = (StructureDefinition) base.fetchStructureDefinition(
        "http://hl7.org/fhir/StructureDefinition/Patient");
    assertThat(patient.hasText()).isFalse();
    assertThat(patient.hasDescription()).isFalse();
    assertThat(patient.getMapping()).isEmpty();
    ElementDefinition gender = element(patient, "Patient.gender");
    assertThat(gender.hasDefinition()).isFalse();
    assertThat(gender.hasComment()).isFalse();
    assertThat(gender.hasRequirements()).isFalse();
    assertThat(gender.getMapping()).isEmpty();
    assertThat(gender.getShort()).isEqualTo("male | female | other | unknown");
    assertThat(gender.getMax()).isEqualTo("1");
    assertThat(gender.getBinding().getValueSet()).startsWith("http://hl7.org/fhir/ValueSet/administrative-gender");
    assertThat(element(patient, "Patient.contact").getConstraint())
        .anySatisfy(c -> {
          assertThat(c.getKey()).isEqualTo("pat-1");
          assertThat(c.getHuman()).isNotBlank();
          assertThat(c.getExpression()).isNotBlank();
          assertThat(c.hasXpath()).isFalse();
        });
    CodeSystem genders = (CodeSystem) base.fetchCodeSystem("http://hl7.org/fhir/administrative-gender");
    assertThat(genders.getConcept()).extracting(CodeSystem.ConceptDefinitionComponent::getCode)
        .containsExactly("male", "female", "other", "unknown");
    assertThat(genders.getConcept()).allSatisfy(concept -> {
      assertThat(concept.hasDefinition()).isFalse();
      assertThat(concept.getDisplay()).isNotBlank();
    });
  }

  @Test
  void validationStillRefusesWhatTheDefinitionsForbid() {
    Observation missing = new Observation();
    assertThat(messages(validation.errors(missing)))
        .anyMatch(m -> m.contains("Observation.status"))
        .anyMatch(m -> m.contains("Observation.code"));

    Patient contactWithNothing = new Patient();
    contactWithNothing.addContact().setGender(AdministrativeGender.FEMALE);
    assertThat(messages(validation.errors(contactWithNothing))).anyMatch(m -> m.contains("pat-1"));

    Observation fine = new Observation();
    fine.setStatus(Observation.ObservationStatus.FINAL).getCode().setText("pulse");
    fine.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
    assertThat(validation.errors(fine)).isEmpty();
  }

  private static ElementDefinition element(StructureDefinition definition, String path) {
    return definition.getSnapshot().getElement().stream().filter(e -> e.getPath().equals(path)).findFirst()
        .orElseThrow();
  }

  private static List<String> messages(List<SingleValidationMessage> errors) {
    return errors.stream().map(m -> m.getLocationString() + " " + m.getMessage()).toList();
  }
}
