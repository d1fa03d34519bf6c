package org.tellonce.testing;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.Assumptions;
import org.tellonce.platform.fhir.ProfileValidation;

/**
 * Validation against the UK Core R4 profiles in {@code ../shared/fhir/ukcore} (Apache-2.0, HL7 UK), with the same
 * offline validator the services use. Tests that need it are skipped, saying why, where the folder is absent.
 */
public final class UkCore {

  public static final String PATIENT = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient";

  private static volatile UkCore instance;

  private final FhirContext context;
  private final ProfileValidation validation;
  private final Path folder;

  private UkCore(Path folder) throws IOException {
    this.folder = folder;
    this.context = FhirContext.forR4Cached();
    this.validation = new ProfileValidation(context, folder);
  }

  /** Where the UK Core conformance resources are: {@code -Dtellonce.ukcore}, else next to the checkout. */
  public static Path folder() {
    return Path.of(System.getProperty("tellonce.ukcore", "../../../shared/fhir/ukcore"));
  }

  /** The validator, or the calling test is skipped when {@code ../shared/fhir/ukcore} is not there. */
  public static UkCore get() {
    Path folder = folder();
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
          .map(file -> ProfileValidation.parse(context, file))
          .toList();
    }
  }

  /** Errors and fatal messages of validating the resource against the profile (empty when it conforms). */
  public List<String> errors(IBaseResource resource, String profile) {
    return validation.errors(resource, profile).stream().map(UkCore::describe).toList();
  }

  public FhirContext context() {
    return context;
  }

  private static String describe(SingleValidationMessage message) {
    return message.getLocationString() + ": " + message.getMessage();
  }
}
