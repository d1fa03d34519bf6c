package org.tellonce.platform.fhir;

import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.util.concurrent.CompletableFuture;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Prepares the FHIR context once the service listens, off the start's thread. HAPI scans every R4 type on the
 * context's first use (a quarter of a second of a start's CPU on two cores): the start no longer waits for it, and a
 * request arriving meanwhile waits for the same scan (HAPI's lock), never repeats it. Quarkus fires the event that the
 * server listens asynchronously: observed synchronously it never arrived, and the first request paid for the scan.
 */
@ApplicationScoped
public class FhirWarmUp {

  private final CompletableFuture<Void> done = new CompletableFuture<>();

  /** Quarkus delivers the event on a thread of its executor, off the start's: the scan runs there. */
  void listening(@ObservesAsync HttpServerStart started) {
    try {
      prepare();
    } finally {
      done.complete(null);
    }
  }

  /** Done once the context has been prepared after the service began to listen. */
  public CompletableFuture<Void> done() {
    return done;
  }

  /** Encodes and parses an OperationOutcome: the context's scan, and the JSON parser's classes, once. */
  static void prepare() {
    Fhir.parse(OperationOutcome.class, Fhir.encode(OperationOutcomes.error(IssueType.INFORMATIONAL,
        "warm-up")));
  }
}
