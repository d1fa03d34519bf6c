package org.tellonce.carerecord.validation;

import ca.uhn.fhir.validation.SingleValidationMessage;
import io.quarkus.runtime.Startup;
import io.quarkus.vertx.http.HttpServerStart;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;
import org.jboss.logging.Logger;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.ProfileValidation;
import org.tellonce.platform.person.NhsNumber;

/**
 * Validates every resource written to the record with HAPI's validator: base R4, and the profiles it claims in
 * {@code meta.profile} from the conformance folder ({@code tellonce.fhir.conformance}, for example UK Core). Offline:
 * a claimed profile that is not loaded is an error, never fetched. NHS numbers anywhere in the resource must be ten
 * digits with a valid check digit. Invalid input is a 422 listing the validator's errors.
 */
@ApplicationScoped
@Startup
public class RecordValidator {

  private static final Logger LOG = Logger.getLogger(RecordValidator.class);
  /** The most issues one answer lists. */
  static final int MAX_ISSUES = 50;

  @ConfigProperty(name = "tellonce.fhir.conformance")
  Optional<String> conformance;

  private volatile ProfileValidation validation;
  private Path folder;
  private String loaded;
  private final AtomicBoolean preparing = new AtomicBoolean();
  /**
   * Set as the service begins to listen. Quarkus fires that event asynchronously ({@code @ObservesAsync}): observed
   * synchronously it never arrived, and the definitions were prepared by the first write instead, which waited 5-7 s.
   */
  private volatile boolean startedOnListening;
  /**
   * Done once the definitions are prepared (base R4, the conformance folder's resources and the claimed profiles'
   * snapshots): every check waits for it. Failed when the folder's resources cannot be read: then every check refuses.
   */
  private final CompletableFuture<Void> prepared = new CompletableFuture<>();

  /** A validator outside CDI (tests and tools): base R4, and the conformance folder when given; prepared on return. */
  public static RecordValidator of(Optional<String> conformance) throws IOException {
    RecordValidator validator = new RecordValidator();
    validator.conformance = conformance;
    validator.load();
    validator.prepare();
    try {
      validator.prepared.join();
    } catch (CompletionException e) {
      throw new IOException("The FHIR conformance resources could not be read", e.getCause());
    }
    return validator;
  }

  /**
   * Checks before the service starts that the conformance folder can be listed (one that cannot stops the start). Its
   * resources are read, and the definitions prepared, later, on a thread of their own (see {@link #prepare()}).
   */
  @PostConstruct
  void load() throws IOException {
    folder = conformance.map(Path::of).filter(Files::isDirectory).orElse(null);
    if (conformance.isPresent() && folder == null) {
      LOG.warnf("tellonce.fhir.conformance %s is not a folder: resources claiming its profiles will be refused",
          conformance.get());
    }
    if (folder != null) {
      try (Stream<Path> files = Files.list(folder)) {
        files.count();
      }
    }
    loaded = folder == null ? "base R4 only" : "base R4 and " + folder;
  }

  /**
   * Once the service listens: reads, searches and events need no validator, so reading the conformance resources and
   * preparing the definitions (seconds of CPU: parsing, snapshots, conversions) waits until the start is over instead
   * of competing with it for the cores.
   */
  void listening(@ObservesAsync HttpServerStart started) {
    startedOnListening = true;
    prepare();
  }

  /** True when the preparation was started as the service began to listen (not by a first write). */
  boolean startedOnListening() {
    return startedOnListening;
  }

  /**
   * Starts reading and preparing the definitions on a thread of their own, once; the first check starts it if nothing
   * has yet (an event arriving before the service listens), and every check waits for it: validation is never skipped.
   */
  void prepare() {
    if (!preparing.compareAndSet(false, true)) {
      return;
    }
    long start = System.nanoTime();
    Thread thread = new Thread(() -> {
      try {
        validation = new ProfileValidation(Fhir.context(), folder);
      } catch (IOException | RuntimeException failure) {
        // fail closed: no write is taken unchecked, and readiness says why (ValidationReadiness)
        LOG.errorf("The FHIR conformance resources in %s could not be read (%s): every write will be refused",
            folder, failure.getMessage());
        prepared.completeExceptionally(failure);
        return;
      }
      long read = (System.nanoTime() - start) / 1_000_000;
      try {
        warmUp(folder != null);
        LOG.infof("FHIR validation ready (%s): definitions read in %d ms, prepared in %d ms more", loaded, read,
            (System.nanoTime() - start) / 1_000_000 - read);
      } catch (RuntimeException | Error failure) {
        // not fatal: the first validation prepares what the warm-up could not, and reports its own failure
        LOG.warnf("FHIR validation warm-up failed (%s): the first write prepares the definitions itself",
            failure.getClass().getSimpleName());
      } finally {
        prepared.complete(null);
      }
    }, "fhir-validation-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  /** Why validation cannot be done (the conformance resources could not be read), or empty. */
  public Optional<String> unavailable() {
    if (!prepared.isCompletedExceptionally()) {
      return Optional.empty();
    }
    try {
      prepared.join();
      return Optional.empty();
    } catch (CompletionException e) {
      // no paths or file names: the service's log has them
      return Optional.of("the FHIR conformance resources could not be read ("
          + e.getCause().getClass().getSimpleName() + ")");
    }
  }

  /** Validates once, so that the first caller does not wait for the definitions to be prepared. */
  private void warmUp(boolean profiles) {
    org.hl7.fhir.r4.model.Observation sample = new org.hl7.fhir.r4.model.Observation();
    sample.setStatus(org.hl7.fhir.r4.model.Observation.ObservationStatus.FINAL);
    sample.getCode().setText("warm-up");
    if (profiles) {
      sample.getMeta().addProfile("https://fhir.hl7.org.uk/StructureDefinition/UKCore-Observation");
    }
    validation.errors(sample);
  }

  /** Whether the definitions are prepared (until then a check waits for them). */
  public boolean prepared() {
    return prepared.isDone();
  }

  /**
   * Validates off the event loop (validation is CPU work) and continues on the caller's Vert.x context, where the
   * reactive database session lives. Fails with 422 when the resource is invalid.
   */
  public Uni<Void> validate(Resource resource) {
    Context context = Vertx.currentContext();
    Uni<Void> checked = Uni.createFrom().item(() -> {
      check(resource);
      return (Void) null;
    }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    return context == null ? checked : checked.emitOn(task -> context.runOnContext(ignored -> task.run()));
  }

  /** The same check, on the calling thread (never the event loop: it may wait for the definitions). */
  public void check(Resource resource) {
    prepare();
    try {
      prepared.join();
    } catch (CompletionException e) {
      throw FhirException.unavailable("The record cannot validate resources now ("
          + unavailable().orElse("its definitions could not be prepared") + "), so it takes no writes");
    }
    List<FhirException.Issue> issues = new ArrayList<>();
    for (Identifier identifier : Fhir.context().newTerser().getAllPopulatedChildElementsOfType(resource,
        Identifier.class)) {
      String problem = NhsNumber.SYSTEM.equals(identifier.getSystem()) ? NhsNumber.problem(identifier.getValue()) : null;
      if (problem != null) {
        issues.add(new FhirException.Issue(null, problem));
      }
    }
    for (SingleValidationMessage message : validation.errors(resource)) {
      if (issues.size() == MAX_ISSUES) {
        break;
      }
      issues.add(new FhirException.Issue(message.getLocationString(), message.getMessage()));
    }
    if (!issues.isEmpty()) {
      FhirException.Issue first = issues.get(0);
      throw new FhirException(422, IssueType.PROCESSING, "The " + resource.fhirType() + " is not valid ("
          + issues.size() + (issues.size() == MAX_ISSUES ? " or more" : "") + " issues, each listed below); the first: "
          + (first.location() == null ? "" : first.location() + ": ") + first.text(), issues);
    }
  }
}
