package org.tellonce.platform.fhir;

import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Prepares the FHIR context once the service listens, on a thread of its own. HAPI scans every R4 type on the
 * context's first use (a quarter of a second of a start's CPU on two cores): the start no longer waits for it, and a
 * request arriving meanwhile waits for the same scan (HAPI's lock), never repeats it.
 */
@ApplicationScoped
public class FhirWarmUp {

  void listening(@Observes HttpServerStart started) {
    Thread thread = new Thread(FhirWarmUp::prepare, "fhir-context-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  /** Encodes and parses an OperationOutcome: the context's scan, and the JSON parser's classes, once. */
  static void prepare() {
    Fhir.parse(OperationOutcome.class, Fhir.encode(OperationOutcomes.error(IssueType.INFORMATIONAL,
        "warm-up")));
  }
}
