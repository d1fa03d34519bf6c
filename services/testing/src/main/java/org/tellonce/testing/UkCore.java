package org.tellonce.testing;

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
import org.junit.jupiter.api.Assumptions;

/**
 * Validation against the UK Core R4 profiles in {@code ../shared/fhir/ukcore} (Apache-2.0, HL7 UK), with HAPI's
 * validator and no network: only the base R4 definitions, UK Core's own and HAPI's built-in terminology. Tests that
 * need it are skipped, saying why, where the folder is absent.
 */
public final class UkCore {

  public static final String PATIENT = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient";

  private static volatile UkCore instance;

  private final FhirContext context;
  private final FhirValidator validator;
  private final Path folder;

  private UkCore(Path folder) throws IOException {
    this.folder = folder;
    this.context = FhirContext.forR4Cached();
    PrePopulatedValidationSupport ukCore = new PrePopulatedValidationSupport(context);
    for (String kind : List.of("structuredefinitions", "valuesets", "codesystems")) {
      try (Stream<Path> files = Files.list(folder.resolve(kind))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".xml")).sorted().toList()) {
          ukCore.addResource(parse(file));
        }
      }
    }
    ValidationSupportChain chain = new ValidationSupportChain(
        new DefaultProfileValidationSupport(context),
        ukCore,
        new SnapshotGeneratingValidationSupport(context),
        new InMemoryTerminologyServerValidationSupport(context),
        new CommonCodeSystemsTerminologyService(context));
    this.validator = context.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
  }

  /** The validator, or the calling test is skipped when {@code ../shared/fhir/ukcore} is not there. */
  public static UkCore get() {
    Path folder = Path.of(System.getProperty("tellonce.ukcore", "../../../shared/fhir/ukcore"));
    Assumptions.assumeTrue(Files.isDirectory(folder.resolve("structuredefinitions")),
        "UK Core conformance resources not found at " + folder.toAbsolutePath().normalize()
            + " (../shared/fhir/ukcore next to the checkout); UK Core validation skipped");
    if (instance == null) {
      synchronized (UkCore.class) {
        if (instance == null) {
          try {
            instance = new UkCore(folder);
          } catch (IOException e) {
            throw new IllegalStateException("Cannot read the UK Core resources in " + folder, e);
          }
        }
      }
    }
    return instance;
  }

  /** The UK Core examples of one resource type (file names {@code UKCore-<Type>-*.xml}), parsed. */
  public List<IBaseResource> examples(String resourceType) throws IOException {
    try (Stream<Path> files = Files.list(folder.resolve("examples"))) {
      return files.filter(f -> f.getFileName().toString().startsWith("UKCore-" + resourceType + "-"))
          .sorted()
          .map(this::parse)
          .toList();
    }
  }

  /**
   * Terminology that cannot be checked without a terminology server: HAPI's built-in list of BCP-47 languages lacks
   * sign languages such as {@code bfi} (British Sign Language), which UK Core's own examples use.
   */
  static final List<String> OFFLINE_TERMINOLOGY_GAPS = List.of("(http://hl7.org/fhir/ValueSet/all-languages|");

  /** Errors and fatal messages of validating the resource against the profile (empty when it conforms). */
  public List<String> errors(IBaseResource resource, String profile) {
    return validator.validateWithResult(resource, new ValidationOptions().addProfile(profile)).getMessages().stream()
        .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
        .filter(m -> OFFLINE_TERMINOLOGY_GAPS.stream().noneMatch(gap -> m.getMessage().contains(gap)))
        .map(UkCore::describe)
        .toList();
  }

  public FhirContext context() {
    return context;
  }

  private static String describe(SingleValidationMessage message) {
    return message.getLocationString() + ": " + message.getMessage();
  }

  private IBaseResource parse(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return context.newXmlParser().parseResource(reader);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + file, e);
    }
  }
}
