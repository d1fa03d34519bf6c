package org.tellonce.platform.fhir;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * A body that declares itself over the limit ({@code quarkus.http.limits.max-body-size}, 2 MB unless configured) is
 * refused before it is read, with an OperationOutcome naming the limit, as every other refusal has one (Quarkus' own check, which also counts bodies sent
 * without a length or with {@code Expect: 100-continue}, answers an empty 413). The connection is closed: the unread
 * body is not waited for ({@link EarlyRefusal}).
 */
@ApplicationScoped
public class OversizedBodies {

  /** The refusal, naming the configured limit. */
  static String tooLarge(long max) {
    return Fhir.encode(OperationOutcomes.error(IssueType.TOOLONG, "The body is larger than the " + size(max)
        + " a request may carry; send large documents as DocumentReference attachments by URL, or split a"
        + " transaction"));
  }

  /** A size as people write it: 2 MB, 512 KB, 1000 bytes. */
  static String size(long bytes) {
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
      return bytes / (1024 * 1024) + " MB";
    }
    if (bytes >= 1024 && bytes % 1024 == 0) {
      return bytes / 1024 + " KB";
    }
    return bytes + " bytes";
  }

  void install(@Observes Router router,
      @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
    long max = limit.asLongValue();
    // encoded when first needed: encoding is the FHIR context's first use, which scans every R4 type, and a start
    // should not wait for that (FhirWarmUp does it once the service listens)
    AtomicReference<String> refusal = new AtomicReference<>();
    router.route().order(-3).handler(context -> {
      String length = context.request().getHeader("Content-Length");
      // a client waiting for "100 Continue" is left to Quarkus' own check, which answers it (empty 413)
      boolean waiting = "100-continue".equalsIgnoreCase(context.request().getHeader("Expect"));
      if (length != null && !waiting && declaredOver(length, max)) {
        EarlyRefusal.send(context, 413, refusal.updateAndGet(known -> known != null ? known : tooLarge(max)));
      } else {
        context.next();
      }
    });
  }

  static boolean declaredOver(String length, long max) {
    try {
      return Long.parseLong(length.trim()) > max;
    } catch (NumberFormatException e) {
      return false;  // Vert.x refuses a malformed length itself
    }
  }
}
