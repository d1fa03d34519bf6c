package org.tellonce.carerecord.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.tellonce.platform.decision.DecisionRequest;
import org.tellonce.platform.decision.DecisionResponse;
import org.tellonce.platform.decision.DecisionResponse.ItemDecision;
import org.tellonce.platform.decision.Obligations;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.resilience.Admission;
import org.tellonce.platform.security.Actor;

/**
 * The enforcement point: asks the consent service once per request about every class of data involved (type and
 * labels; see {@link DataClass}), and fails closed. Any failure to get a complete, well-formed answer refuses the read
 * with 503: nothing is disclosed on an error path.
 *
 * <p>An answer is reused for the same question (person, purpose, user, organisation, roles and classes) for as long
 * as the consent service leases it ({@code leaseMillis}, capped by {@code tellonce.consent.max-lease}), counted from
 * the moment the question was sent. The consent service acknowledges a change only once that lease has run out (see
 * its {@code DecisionLease}), so a reused answer never outlives an acknowledged change. {@code tellonce.consent.max-lease=0}
 * asks every time. Reads of the same question at once share one call; an answer read in the last quarter of its lease
 * is asked again in the background, so steady reads do not wait for the consent service each time a lease runs out.
 *
 * <p>At most {@code tellonce.consent.max-in-flight} questions are with the consent service at once ({@link Admission});
 * a read that would be one more is refused at once with 503 and Retry-After, so an overload sheds load instead of
 * every read waiting out its timeout.
 */
@ApplicationScoped
public class AccessGate {

  private static final Logger LOG = Logger.getLogger(AccessGate.class);

  /** What the caller may see of one person: the decision on each class, taken at one consent revision. */
  public record Visibility(long revision, Map<String, ItemDecision> decisions) {

    public static final Visibility NOTHING = new Visibility(0, Map.of());

    /** Permitted, and every obligation of the permit can be carried out here (otherwise it counts as denied). */
    public boolean permits(DataClass dataClass) {
      ItemDecision decision = decisions.get(dataClass.key());
      return decision != null && decision.permitted() && Disclosure.understood(decision);
    }

    public ItemDecision decision(DataClass dataClass) {
      return decisions.get(dataClass.key());
    }

    /** The keys ({@code Type|labels}) of the permitted classes, for the record's queries. */
    public List<String> permittedKeys() {
      return decisions.keySet().stream()
          .filter(key -> permits(new DataClass(key.substring(0, key.indexOf('|')), key.substring(key.indexOf('|') + 1))))
          .sorted()
          .toList();
    }
  }

  /** The benchmark-only setting that shows everything without asking: refused outside the {@code bench} profile. */
  static final String OFF_FOR_BENCHMARK = "off-for-benchmark";

  /**
   * The benchmark-only setting in which each request chooses: one carrying {@link #BENCHMARK_HEADER}{@code : off} is
   * served as with {@link #OFF_FOR_BENCHMARK}, any other goes through the gate as shipped. The gate's cost is then
   * measured in one process, the two kinds of request taking turns, where two processes differ by more than the cost
   * (their compiled code, their heaps, which of them holds the audit partition the reads' events go to). Refused
   * outside the {@code bench} profile.
   */
  static final String PER_REQUEST_FOR_BENCHMARK = "per-request-for-benchmark";

  /** The request header that switches the gate off for one request, heeded only by {@link #PER_REQUEST_FOR_BENCHMARK}. */
  public static final String BENCHMARK_HEADER = "X-Tellonce-Benchmark-Gate";

  /** Where the request's choice is kept: a local of its Vert.x (duplicated) context. */
  static final String GATE_OFF_LOCAL = "tellonce.benchmark.gate-off";

  @Inject @RestClient ConsentClient consent;

  @ConfigProperty(name = "tellonce.consent.max-lease", defaultValue = "PT2S")
  Duration maxLease;

  @ConfigProperty(name = "tellonce.access.gate", defaultValue = "consent")
  String gate;

  /**
   * Decisions asked of the consent service at once, at most; beyond that a read is refused at once with 503 and
   * Retry-After (load shed) rather than queued past its caller's timeout. Per replica.
   */
  @ConfigProperty(name = "tellonce.consent.max-in-flight", defaultValue = "64")
  int maxInFlight;

  @Inject MeterRegistry registry;

  private Admission admission;

  /** An answer and, by System.nanoTime, when its question was sent and when it may no longer be used. */
  record Leased(Visibility visibility, long asked, long expires) {

    boolean usableAt(long now) {
      return now - expires < 0;
    }

    /** In the last quarter of its lease: a read asks it again in the background. */
    boolean dueForRenewalAt(long now) {
      return now - (asked + (expires - asked) / 4 * 3) >= 0;
    }

    /**
     * Whether a read that began at {@code began} may rest on this answer: its question was sent after the read began,
     * or the read began within the answer's lease. A change acknowledged before the read began was stored at least a
     * lease before it, so before the question was sent, and the answer reflects it.
     */
    boolean answers(long began) {
      return began - asked <= 0 || usableAt(began);
    }
  }

  private Cache<DecisionRequest, Leased> leased;

  /** The questions being asked of the consent service now, each shared by every read waiting for its answer. */
  private final Map<DecisionRequest, Uni<Leased>> inFlight = new ConcurrentHashMap<>();

  /** Answers renewed in the background before their lease ran out. */
  private final AtomicLong renewals = new AtomicLong();

  @PostConstruct
  void init() {
    leased = Caffeine.newBuilder().maximumSize(50_000).expireAfterWrite(maxLease).build();
    admission = new Admission("consent", maxInFlight);
    registry.gauge("tellonce.consent.in-flight", admission, Admission::inFlight);
    registry.more().counter("tellonce.consent.shed", java.util.List.of(), admission, Admission::refused);
    registry.more().counter("tellonce.consent.renewed", java.util.List.of(), renewals, AtomicLong::get);
  }

  void checkGate(@Observes StartupEvent started) {
    boolean forBenchmark = OFF_FOR_BENCHMARK.equals(gate) || PER_REQUEST_FOR_BENCHMARK.equals(gate);
    if (forBenchmark && !ConfigUtils.getProfiles().contains("bench")) {
      throw new IllegalStateException("tellonce.access.gate=" + gate + " is for benchmarks only: it"
          + " shows records without asking the consent service, and is refused unless the bench profile is active");
    }
    if (!forBenchmark && !"consent".equals(gate)) {
      throw new IllegalStateException("tellonce.access.gate must be consent");
    }
    if (OFF_FOR_BENCHMARK.equals(gate)) {
      LOG.warn("The consent gate is OFF (benchmark profile): every record is shown without a consent decision");
    } else if (forBenchmark) {
      LOG.warnf("The consent gate is OFF for every request with %s: off (benchmark profile): such requests are shown"
          + " every record without a consent decision", BENCHMARK_HEADER);
    }
  }

  /**
   * With {@link #PER_REQUEST_FOR_BENCHMARK} only: marks each request that asks for the gate off, before anything else
   * handles it. In any other setting nothing is installed and the header means nothing.
   */
  void install(@Observes Router router) {
    if (!PER_REQUEST_FOR_BENCHMARK.equals(gate)) {
      return;
    }
    router.route().order(-4).handler(request -> {
      if ("off".equalsIgnoreCase(request.request().getHeader(BENCHMARK_HEADER))) {
        ContextLocals.put(GATE_OFF_LOCAL, Boolean.TRUE);
      }
      request.next();
    });
  }

  /** Whether this decision is for a request that chose the gate off (per-request benchmark setting only). */
  private boolean offForThisRequest() {
    if (!PER_REQUEST_FOR_BENCHMARK.equals(gate)) {
      return false;
    }
    Context context = Vertx.currentContext();
    return context != null && VertxContext.isDuplicatedContext(context)
        && Boolean.TRUE.equals(ContextLocals.get(GATE_OFF_LOCAL, Boolean.FALSE));
  }

  /** The consent service refused the question at its door (503 with {@code Retry-After: 1}): busy, not down. */
  static boolean shedByConsent(Throwable failure) {
    return failure instanceof jakarta.ws.rs.WebApplicationException refused
        && refused.getResponse().getStatus() == 503
        && FhirException.RETRY_BUSY.equals(refused.getResponse().getHeaderString("Retry-After"));
  }

  public Uni<Visibility> decide(Actor actor, String personId, String purpose, Collection<DataClass> classes) {
    Set<DataClass> distinct = new LinkedHashSet<>(classes);
    if (distinct.isEmpty()) {
      return Uni.createFrom().item(Visibility.NOTHING);
    }
    if (OFF_FOR_BENCHMARK.equals(gate) || offForThisRequest()) {
      return Uni.createFrom().item(everything(distinct));
    }
    List<String> roles = new ArrayList<>(actor.roles());
    roles.sort(null);
    DecisionRequest request = new DecisionRequest(personId, purpose,
        new DecisionRequest.RequestActor(actor.organization(), actor.username(), roles),
        distinct.stream()
            .map(c -> new DecisionRequest.DataItem(c.key(), c.resourceType(), c.labelList()))
            .toList());
    long now = System.nanoTime();
    Leased reusable = leased.getIfPresent(request);
    if (reusable != null && reusable.usableAt(now)) {
      if (reusable.dueForRenewalAt(now) && !inFlight.containsKey(request)) {
        renew(request, distinct);
      }
      return Uni.createFrom().item(reusable.visibility());
    }
    // a question already on its way is shared when it answers this read too; if not, this read asks its own
    return asking(request, distinct).chain(answer -> answer.answers(now)
        ? Uni.createFrom().item(answer.visibility())
        : ask(request, distinct).map(Leased::visibility));
  }

  /**
   * The question as it is being asked: one call to the consent service however many reads wait for it at once (when
   * a lease runs out under load, every read of the same question would otherwise ask it again). Each waiting read gets
   * the same answer, or the same failure.
   */
  private Uni<Leased> asking(DecisionRequest request, Set<DataClass> distinct) {
    return inFlight.computeIfAbsent(request, question -> {
      AtomicReference<Uni<Leased>> self = new AtomicReference<>();
      Uni<Leased> shared = ask(question, distinct)
          .onTermination().invoke(() -> inFlight.remove(question, self.get()))
          .memoize().indefinitely();
      self.set(shared);
      return shared;
    });
  }

  /**
   * In the last quarter of its lease, an answer still in use is asked again in the background, so that a question read
   * steadily is never waited for when its lease runs out. Until the new answer arrives the current one is used, never
   * beyond its own lease: a renewal that fails changes nothing, and once the lease has run out the next read asks (and
   * fails closed) as usual.
   */
  private void renew(DecisionRequest request, Set<DataClass> distinct) {
    asking(request, distinct).subscribe().with(renewed -> renewals.incrementAndGet(),
        failure -> LOG.debugf("A leased consent answer was not renewed (%s); it is used until its lease ends",
            failure.getClass().getSimpleName()));
  }

  /** One question to the consent service; the answer is kept for reuse for as long as it is leased. */
  private Uni<Leased> ask(DecisionRequest request, Set<DataClass> distinct) {
    return Uni.createFrom().deferred(() -> {
      long asked = System.nanoTime();
      return admission.admit(() -> consent.decide(request))
          // load shed (503 busy) passes as it is; any other failure means no answer: closed
          .onFailure(e -> !(e instanceof FhirException)).transform(e -> {
            if (shedByConsent(e)) {
              return FhirException.busy("The service is busy: the consent service is answering as many questions as"
                  + " it can. Try again in a second.");
            }
            LOG.warnf("Consent decision point unavailable: %s", e.getClass().getSimpleName());
            return FhirException.unavailable("The consent service cannot be reached, so the record cannot be shown;"
                + " try again shortly");
          })
          .map(response -> {
            Visibility visibility = visibility(response, distinct);
            long lease = Duration.ofMillis(Math.max(0, Math.min(response.leaseMillis(), maxLease.toMillis())))
                .toNanos();
            Leased answer = new Leased(visibility, asked, asked + lease);
            if (lease > 0) {
              leased.put(request, answer);
            }
            return answer;
          });
    });
  }

  /** Benchmarks only: every class permitted with the audit obligation, as the consent service would for a care team. */
  private static Visibility everything(Set<DataClass> classes) {
    return new Visibility(0, classes.stream().collect(Collectors.toMap(DataClass::key,
        c -> new ItemDecision(c.key(), DecisionResponse.PERMIT,
            List.of(new DecisionResponse.Reason("benchmark", "the consent gate is off for a benchmark")),
            List.of(Obligations.AUDIT)))));
  }

  private static Visibility visibility(DecisionResponse response, Set<DataClass> classes) {
    if (response == null || response.decisions() == null || response.decisions().size() != classes.size()) {
      throw FhirException.unavailable("The consent service gave an incomplete answer, so the record cannot be shown");
    }
    Map<String, ItemDecision> byKey = response.decisions().stream()
        .collect(Collectors.toMap(ItemDecision::id, Function.identity(), (a, b) -> a.permitted() ? b : a));
    if (!byKey.keySet().equals(classes.stream().map(DataClass::key).collect(Collectors.toSet()))) {
      throw FhirException.unavailable("The consent service answered about other data, so the record cannot be shown");
    }
    return new Visibility(response.revision(), byKey);
  }
}
