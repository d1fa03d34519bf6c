package org.tellonce.platform.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * HAPI's instance validator with no network: the base R4 definitions, the conformance resources of a folder (for
 * example UK Core: {@code structuredefinitions/}, {@code valuesets/}, {@code codesystems/} of XML or JSON files, and
 * FHIR NPM packages ({@code *.tgz}) in the folder itself, read in memory by {@link ConformancePackages}) and HAPI's
 * built-in terminology. Nothing is fetched: a profile or code system not loaded is reported, never looked up.
 */
public final class ProfileValidation {

  /**
   * Terminology that cannot be checked without a terminology server: HAPI's built-in list of BCP-47 languages lacks
   * sign languages such as {@code bfi} (British Sign Language), which UK Core's own examples use.
   */
  public static final List<String> OFFLINE_TERMINOLOGY_GAPS = List.of("(http://hl7.org/fhir/ValueSet/all-languages|");

  /** HAPI keeps one set of base definitions per FHIR version for the whole JVM: trimmed once, under this lock. */
  private static final Object BASE_LOCK = new Object();
  private static volatile boolean baseRead;

  private final FhirValidator validator;
  private final DefaultProfileValidationSupport base;

  /** A validator for the context, with the conformance resources under {@code folder} (none when null). */
  public ProfileValidation(FhirContext context, Path folder) throws IOException {
    PrePopulatedValidationSupport loaded = new PrePopulatedValidationSupport(context);
    if (folder != null) {
      for (String kind : List.of("structuredefinitions", "valuesets", "codesystems")) {
        Path directory = folder.resolve(kind);
        if (!Files.isDirectory(directory)) {
          continue;
        }
        try (Stream<Path> files = Files.list(directory)) {
          for (Path file : files.filter(ProfileValidation::isConformanceFile).sorted().toList()) {
            loaded.addResource(withoutProse(parse(context, file)));
          }
        }
      }
      if (Files.isDirectory(folder)) {
        try (Stream<Path> files = Files.list(folder)) {
          for (Path tgz : files.filter(ConformancePackages::isPackage).sorted().toList()) {
            ConformancePackages.read(context, tgz).forEach(resource -> loaded.addResource(withoutProse(resource)));
          }
        }
      }
    }
    this.base = new DefaultProfileValidationSupport(context);
    ValidationSupportChain chain = new ValidationSupportChain(
        base,
        loaded,
        new SnapshotGeneratingValidationSupport(context),
        new InMemoryTerminologyServerValidationSupport(context),
        new CommonCodeSystemsTerminologyService(context));
    this.validator = context.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
  }

  /** The errors (and fatal messages) of validating the resource, against the profiles it claims and any given. */
  public List<SingleValidationMessage> errors(IBaseResource resource, String... profiles) {
    readBase();
    ValidationOptions options = new ValidationOptions();
    for (String profile : profiles) {
      options.addProfile(profile);
    }
    return validator.validateWithResult(resource, options).getMessages().stream()
        .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
        .filter(m -> OFFLINE_TERMINOLOGY_GAPS.stream().noneMatch(gap -> m.getMessage().contains(gap)))
        .toList();
  }

  /**
   * Reads the base R4 definitions, without their prose ({@link DefinitionProse}), before the validator first asks
   * for one (and converts it): HAPI reads them when first asked, and lists only what it has read, so each kind is
   * asked for first. On the first validation, not on construction: a service prepares its validator in the
   * background. Every validator of the JVM waits for it, as they share the definitions.
   */
  private void readBase() {
    if (baseRead) {
      return;
    }
    synchronized (BASE_LOCK) {
      if (!baseRead) {
        base.fetchAllStructureDefinitions();
        base.fetchCodeSystem("http://hl7.org/fhir/administrative-gender");
        base.fetchAllConformanceResources().forEach(DefinitionProse::drop);
        baseRead = true;
      }
    }
  }

  private static IBaseResource withoutProse(IBaseResource resource) {
    DefinitionProse.drop(resource);
    return resource;
  }

  private static boolean isConformanceFile(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".xml") || name.endsWith(".json");
  }

  /** One conformance resource file, XML or JSON. */
  public static IBaseResource parse(FhirContext context, Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return (file.toString().endsWith(".json") ? context.newJsonParser() : context.newXmlParser())
          .parseResource(reader);
    } catch (IOException | ca.uhn.fhir.parser.DataFormatException e) {
      throw new IllegalStateException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
