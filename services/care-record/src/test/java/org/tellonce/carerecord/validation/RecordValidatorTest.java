package org.tellonce.carerecord.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tellonce.carerecord.record.RecordTypes;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.testing.UkCore;

class RecordValidatorTest {

  static RecordValidator validator;

  @BeforeAll
  static void load() throws Exception {
    UkCore.get();
    validator = RecordValidator.of(Optional.of(UkCore.folder().toString()));
  }

  @Test
  void acceptsEveryUkCoreExampleOfTheTypesTheRecordHolds() throws Exception {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (String type : RecordTypes.supported()) {
      for (IBaseResource example : UkCore.get().examples(type)) {
        Resource resource = (Resource) Fhir.json().parseResource(Fhir.encode(example));
        checked++;
        try {
          validator.check(resource);
        } catch (FhirException e) {
          problems.add(resource.getIdElement().getIdPart() + ": " + e.issues());
        }
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(40);
    assertThat(problems).isEmpty();
  }

  @Test
  void refusesWhatBaseR4AndTheClaimedProfileRefuse() {
    Observation observation = new Observation();
    observation.getCode().setText("Weight");
    assertThatThrownBy(() -> validator.check(observation)).isInstanceOf(FhirException.class)
        .satisfies(e -> assertThat(((FhirException) e).issues().toString()).contains("Observation.status"));

    Observation unknownProfile = new Observation();
    unknownProfile.setStatus(Observation.ObservationStatus.FINAL);
    unknownProfile.getCode().setText("Weight");
    unknownProfile.getMeta().addProfile("http://127.0.0.1:9/StructureDefinition/Nowhere");
    assertThatThrownBy(() -> validator.check(unknownProfile)).isInstanceOf(FhirException.class);
  }

  @Test
  void aCheckWhileTheDefinitionsArePreparedWaitsForThemAndIsNeverSkipped() throws Exception {
    RecordValidator starting = new RecordValidator();
    starting.conformance = Optional.of(UkCore.folder().toString());
    starting.load();
    // nothing prepares the definitions before the service listens: this first check starts it and waits for it
    assertThat(starting.prepared()).isFalse();
    Observation profiled = new Observation();
    profiled.getMeta().addProfile("https://fhir.hl7.org.uk/StructureDefinition/UKCore-Observation");
    profiled.getCode().setText("Weight");
    assertThatThrownBy(() -> starting.check(profiled)).isInstanceOf(FhirException.class)
        .satisfies(e -> assertThat(((FhirException) e).issues().toString()).contains("Observation.status"));
    assertThat(starting.prepared()).isTrue();
  }

  @Test
  void conformanceResourcesThatCannotBeReadRefuseEveryWriteAndSayWhyWithoutAPath(@TempDir Path folder)
      throws Exception {
    Files.createDirectories(folder.resolve("structuredefinitions"));
    Files.writeString(folder.resolve("structuredefinitions/UKCore-Broken.json"), "{\"resourceType\": \"Structure");
    RecordValidator broken = new RecordValidator();
    broken.conformance = Optional.of(folder.toString());
    // the folder is only listed at start; its resources are read once the service listens
    broken.load();
    assertThat(broken.unavailable()).isEmpty();
    assertThat(new ValidationReadinessProbe(broken).status()).isEqualTo("UP");

    Observation observation = new Observation();
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.getCode().setText("Weight");
    assertThatThrownBy(() -> broken.check(observation)).isInstanceOf(FhirException.class)
        .satisfies(e -> {
          assertThat(((FhirException) e).status()).isEqualTo(503);
          assertThat(e.getMessage()).contains("cannot validate").doesNotContain(folder.toString());
        });
    assertThat(broken.unavailable()).hasValueSatisfying(reason -> assertThat(reason)
        .contains("conformance resources could not be read").doesNotContain(folder.toString()));
    assertThat(new ValidationReadinessProbe(broken).status()).isEqualTo("DOWN");
    assertThatThrownBy(() -> RecordValidator.of(Optional.of(folder.toString()))).isInstanceOf(IOException.class);
  }

  /** The readiness check over a validator made here. */
  record ValidationReadinessProbe(RecordValidator validator) {
    String status() {
      ValidationReadiness readiness = new ValidationReadiness();
      readiness.validator = validator;
      return readiness.call().getStatus().name();
    }
  }

  @Test
  void refusesAnNhsNumberThatFailsItsCheckDigit() {
    Observation observation = new Observation();
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.getCode().setText("Weight");
    observation.getSubject().getIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue("9434765918");
    assertThatThrownBy(() -> validator.check(observation)).isInstanceOf(FhirException.class)
        .satisfies(e -> assertThat(((FhirException) e).issues().toString()).contains("modulus-11"));
    observation.getSubject().getIdentifier().setValue("9434765919");
    validator.check(observation);
  }
}
