package org.tellonce.platform.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.jboss.logging.Logger;

/**
 * Prepares the FHIR context once the service listens, off the start's thread. HAPI scans every R4 type's name on the
 * context's first use (a quarter of a second of a start's CPU on two cores), and then each resource type's model (its
 * elements, datatypes and classes) the first time that type is parsed or encoded. Both are done here for the types
 * the service serves and those every service answers with, so that no request pays for them later: a type's first scan
 * runs on whichever thread first needs it, an event loop included, and holds every other thread needing it behind
 * HAPI's lock (on a busy machine a consent replica's first Consent took both its event loops for more than two seconds,
 * minutes after it started, and its callers' reads timed out). The start does not wait for it; a request arriving
 * meanwhile waits for the same scan, never repeats it. Quarkus fires the event that the server listens asynchronously:
 * observed synchronously it never arrived, and the first request paid for the scan.
 */
@ApplicationScoped
public class FhirWarmUp {

  private static final Logger LOG = Logger.getLogger(FhirWarmUp.class);

  /** What every service parses or answers with, whatever it serves. */
  static final List<String> ALWAYS = List.of("OperationOutcome", "Bundle", "Parameters", "CapabilityStatement");

  @Inject Instance<ServerCapabilities> capabilities;

  private final CompletableFuture<Void> done = new CompletableFuture<>();

  /** Quarkus delivers the event on a thread of its executor, off the start's: the scan runs there. */
  void listening(@ObservesAsync HttpServerStart started) {
    try {
      long start = System.nanoTime();
      prepareContext(Fhir.context());
      long context = System.nanoTime();
      SortedSet<String> types = types(capabilities.isResolvable() ? capabilities.get() : null);
      prepareTypes(Fhir.context(), types);
      LOG.infof("FHIR context prepared in %d ms, the models of its %d resource types in %d ms more",
          (context - start) / 1_000_000, types.size(), (System.nanoTime() - context) / 1_000_000);
    } finally {
      done.complete(null);
    }
  }

  /** Done once the context has been prepared after the service began to listen. */
  public CompletableFuture<Void> done() {
    return done;
  }

  /** The resource types to prepare: those the service serves (its CapabilityStatement's) and {@link #ALWAYS}. */
  static SortedSet<String> types(ServerCapabilities served) {
    SortedSet<String> types = new TreeSet<>(ALWAYS);
    if (served != null) {
      served.resources().forEach(resource -> types.add(resource.type()));
    }
    return types;
  }

  /**
   * Encodes and parses an OperationOutcome (the context's first use, and the JSON parser's classes), then scans each
   * type's model. A name HAPI does not know is a defect of the service's capabilities, and fails here rather than on
   * a caller's request.
   */
  static void prepare(FhirContext context, Iterable<String> types) {
    prepareContext(context);
    prepareTypes(context, types);
  }

  private static void prepareContext(FhirContext context) {
    IParser json = context.newJsonParser();
    json.parseResource(OperationOutcome.class, json.encodeResourceToString(
        OperationOutcomes.error(IssueType.INFORMATIONAL, "warm-up")));
  }

  private static void prepareTypes(FhirContext context, Iterable<String> types) {
    types.forEach(context::getResourceDefinition);
  }
}
