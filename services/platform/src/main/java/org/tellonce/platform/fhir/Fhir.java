package org.tellonce.platform.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** The one FHIR R4 context of a service, and the parsers every service uses the same way. */
public final class Fhir {

  public static final String JSON = "application/fhir+json";
  public static final String JSON_UTF8 = JSON + ";charset=UTF-8";

  private static final FhirContext R4 = createContext();

  private static FhirContext createContext() {
    FhirContext context = FhirContext.forR4Cached();
    // Unknown elements and malformed values are a caller's mistake to be told about, not silently dropped.
    context.setParserErrorHandler(new StrictErrorHandler());
    // A reference is kept as written: Provenance.target names the version it is about.
    context.getParserOptions().setStripVersionsFromReferences(false);
    return context;
  }

  private Fhir() {}

  public static FhirContext context() {
    return R4;
  }

  public static IParser json() {
    return R4.newJsonParser();
  }

  public static String encode(IBaseResource resource) {
    return json().encodeResourceToString(resource);
  }

  public static <T extends IBaseResource> T parse(Class<T> type, String json) {
    return json().parseResource(type, json);
  }

  /** CDI access to the same context. */
  public static final class Producer {
    @Produces
    @Singleton
    FhirContext fhirContext() {
      return R4;
    }
  }
}
