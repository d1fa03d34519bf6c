package org.tellonce.platform.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class FhirResourceBodyHandlerTest {

  private final FhirResourceBodyHandler handler = new FhirResourceBodyHandler();

  @SuppressWarnings({"unchecked", "rawtypes"})
  private IBaseResource read(Class type, String body) throws Exception {
    return handler.readFrom(type, type, null, null, null,
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void readsAResourceOfTheDeclaredType() throws Exception {
    IBaseResource resource = read(Patient.class, "{\"resourceType\":\"Patient\",\"gender\":\"female\"}");
    assertThat(resource).isInstanceOf(Patient.class);
    assertThat(((Patient) resource).getGender().toCode()).isEqualTo("female");
  }

  @Test
  void readsAnyResourceWhenTheTypeIsOpen() throws Exception {
    IBaseResource resource = read(IBaseResource.class, "{\"resourceType\":\"AllergyIntolerance\"}");
    assertThat(resource).isInstanceOf(AllergyIntolerance.class);
  }

  @Test
  void refusesAnotherResourceTypeWith400() {
    assertThatThrownBy(() -> read(Patient.class, "{\"resourceType\":\"Condition\"}"))
        .isInstanceOfSatisfying(FhirException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.getMessage()).contains("Patient").doesNotContain("HAPI-");
        });
  }

  @Test
  void refusesUnknownElementsWith400() {
    assertThatThrownBy(() -> read(Patient.class, "{\"resourceType\":\"Patient\",\"shoeSize\":42}"))
        .isInstanceOfSatisfying(FhirException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.getMessage()).contains("shoeSize");
        });
  }

  @Test
  void refusesMalformedJsonWith400() {
    assertThatThrownBy(() -> read(Patient.class, "{\"resourceType\":\"Patient\","))
        .isInstanceOfSatisfying(FhirException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  void writesFhirJson() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.writeTo(new Patient().setActive(true), Patient.class, Patient.class, null, null, null, out);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"resourceType\":\"Patient\",\"active\":true}");
  }
}
