package org.tellonce.platform.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The warm-up scans the model of every type the service serves, so that no request pays for a type's first scan on an
 * event loop (a consent replica's first Consent held both its loops for over two seconds, and reads timed out).
 */
class FhirWarmUpTest {

  private static final ServerCapabilities IMMUNISATIONS = new ServerCapabilities() {
    @Override
    public String title() {
      return "a service of immunisations";
    }

    @Override
    public List<ResourceCapability> resources() {
      return List.of(new ResourceCapability("Immunization", List.of("read"), Map.of()),
          new ResourceCapability("ImmunizationRecommendation", List.of("read"), Map.of()));
    }
  };

  @Test
  void preparesTheTypesTheServiceServesAndThoseEveryServiceAnswersWith() {
    assertThat(FhirWarmUp.types(IMMUNISATIONS)).containsExactly("Bundle", "CapabilityStatement", "Immunization",
        "ImmunizationRecommendation", "OperationOutcome", "Parameters");
    assertThat(FhirWarmUp.types(null)).containsExactlyElementsOf(new java.util.TreeSet<>(FhirWarmUp.ALWAYS));
  }

  @Test
  void aTypeIsScannedByTheWarmUpNotByItsFirstRequest() {
    // a context of its own: the service's is shared by every test in this JVM, which may have used the type already
    FhirContext context = FhirContext.forR4();
    // what every service prepares does not reach this type (a type's scan also takes in the types it refers to)
    FhirWarmUp.prepare(context, FhirWarmUp.types(null));
    assertThat(scanned(context)).contains("Bundle", "Parameters", "OperationOutcome", "CapabilityStatement")
        .doesNotContain("ImmunizationRecommendation");

    FhirWarmUp.prepare(context, FhirWarmUp.types(IMMUNISATIONS));

    assertThat(scanned(context)).contains("Immunization", "ImmunizationRecommendation");
  }

  @Test
  void aTypeHapiDoesNotKnowFailsTheWarmUpNotACaller() {
    assertThatThrownBy(() -> FhirWarmUp.prepare(Fhir.context(), List.of("Immunisation")))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("Immunisation");
  }

  private static List<String> scanned(FhirContext context) {
    return context.getElementDefinitions().stream().map(BaseRuntimeElementDefinition::getName).toList();
  }
}
